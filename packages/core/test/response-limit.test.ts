// Issue 11 #6: a response cap, counted after decompression and enforced while the body streams in,
// on every transport.
import { gzipSync } from 'node:zlib';
import { type LoopbackListener, listenOnLoopback } from '@hmi/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, createHttpClient, type HmiError, isHmiError } from '@hmi/core';

const MiB = 1024 * 1024;
/** 16 MiB of zeros, gzipped (~16 KB). Gzip members may be concatenated: 64 of them are 1 GiB. */
const MEMBER = gzipSync(Buffer.alloc(16 * MiB));
const MEMBERS = 64;

const bombs: LoopbackListener[] = [];
afterEach(async () => {
  await Promise.all(bombs.splice(0).map((b) => b.close()));
});

/** A loopback server answering every request with a 1 GiB gzip bomb (about 1 MiB on the wire). */
async function gzipBomb(status = 200, contentLength = false): Promise<LoopbackListener> {
  const bomb = await listenOnLoopback((_req, res) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      ...(contentLength && { 'content-length': String(MEMBER.length * MEMBERS) }),
    });
    let sent = 0;
    const pump = () => {
      while (sent < MEMBERS && !res.destroyed) {
        sent++;
        if (!res.write(MEMBER)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    pump();
  });
  bombs.push(bomb);
  return bomb;
}

/** Samples the process's memory while `work` runs; resolves to the largest growth seen, in bytes. */
async function peakGrowth(work: () => Promise<unknown>): Promise<number> {
  const measure = () => {
    const m = process.memoryUsage();
    return m.rss + m.arrayBuffers;
  };
  const start = measure();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, measure());
  }, 2);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, measure()) - start;
}

describe.each(['node', 'fetch'] as const)('response cap on the %s transport', (transport) => {
  it('a 1 GiB gzip bomb fails with response_too_large, memory bounded, the download cut short', async () => {
    const bomb = await gzipBomb();
    const client = createHttpClient({ baseUrl: bomb.url, allowInsecureHttp: true, transport, retry: { retries: 3 } });
    let error: HmiError | undefined;
    const growth = await peakGrowth(async () => {
      error = (await client.request({ path: '/bomb' }).catch((e: unknown) => e)) as HmiError;
    });
    expect(isHmiError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'response_too_large', retryable: false, status: 200 });
    // Not retried: the same request brings the same body.
    expect(error?.message).toContain(String(16 * MiB));
    // Without the cap the client would hold 1 GiB; it never comes near.
    expect(growth).toBeLessThan(256 * MiB);
    client.close();
  });

  it('maxResponseBytes is configurable per client and per request, and bodies under it pass', async () => {
    const server = await listenOnLoopback((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ pad: 'x'.repeat(req.url === '/big' ? 4096 : 16) }));
    });
    bombs.push(server);
    const client = createHttpClient({
      baseUrl: server.url,
      allowInsecureHttp: true,
      transport,
      maxResponseBytes: 1024,
    });
    await expect(client.request({ path: '/small' })).resolves.toEqual({ pad: 'x'.repeat(16) });
    await expect(client.request({ path: '/big' })).rejects.toMatchObject({ code: 'response_too_large' });
    await expect(client.request({ path: '/big', maxResponseBytes: 8192 })).resolves.toMatchObject({});
    client.close();
  });

  it('an error response is capped too (a hostile 500), and the cap error is not retried', async () => {
    const bomb = await gzipBomb(500);
    const client = createHttpClient({ baseUrl: bomb.url, allowInsecureHttp: true, transport, maxResponseBytes: MiB });
    await expect(client.request({ path: '/x' })).rejects.toMatchObject({ code: 'response_too_large', status: 500 });
    client.close();
  });
});

describe('response cap options', () => {
  it('refuses a cap that is not a positive number', () => {
    for (const maxResponseBytes of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createHttpClient({ baseUrl: 'https://x.test', maxResponseBytes })).toThrow(ConfigError);
    }
  });

  it('a declared Content-Length over the cap fails before the body is read', async () => {
    let ended = false;
    const server = await listenOnLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(10 * MiB) });
      res.write(Buffer.alloc(1024));
      res.on('close', () => {
        ended = true;
      });
      // Never sends the rest: only a client that trusted the header fails now.
    });
    try {
      const client = createHttpClient({
        baseUrl: server.url,
        allowInsecureHttp: true,
        maxResponseBytes: MiB,
        timeoutMs: 10_000,
      });
      await expect(client.request({ path: '/x', responseType: 'bytes' })).rejects.toMatchObject({ code: 'response_too_large' });
      client.close();
      await expect.poll(() => ended).toBe(true);
    } finally {
      await server.close();
    }
  });
});
