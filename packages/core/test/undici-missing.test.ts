import { describe, expect, it, vi } from 'vitest';

// Simulates a host without the optional peer dependency: importing undici fails.
vi.mock('undici', () => {
  throw new Error('Cannot find package undici');
});

describe("transport 'undici' without undici installed", () => {
  it('fails the request with a ConfigError naming the missing package, not a crash', async () => {
    const { ConfigError, createHttpClient } = await import('@hmi/core');
    const client = createHttpClient({ baseUrl: 'https://vendor.test', transport: 'undici', retry: false });
    const error = await client.request({ path: '/x' }).catch((e: unknown) => e);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('undici');
  });
});
