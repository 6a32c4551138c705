import { createServer } from 'node:net';
import { expectNoLeaks, listenOnLoopback } from '@hmi/testing';
import { describe, expect, it } from 'vitest';
import { createHttpClient, NetworkError } from '../src/index.js';

describe('a network error says where and why, never the path', () => {
  it('names the host and the system code of a refused connection', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const { port, close } = await listenOnLoopback(createServer());
    await close();
    const client = createHttpClient({ baseUrl: `http://127.0.0.1:${port}`, allowInsecureHttp: true, retry: { retries: 0 } });
    const error = await client.request({ path: 'Patient', query: { phone: '+966555123456' } }).catch((e: unknown) => e);
    expect(NetworkError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(`network error: the request to 127.0.0.1:${port} did not complete (ECONNREFUSED)`);
    expectNoLeaks([error], ['966555123456']);
    await client.close?.();
  });
});
