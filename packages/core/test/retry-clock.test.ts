// HttpClientOptions.sleep / now: a vendor's long Retry-After is waited on the injected clock.
import { createHttpClient } from '@hmi/core';
import { describe, expect, it } from 'vitest';

describe('an injected retry clock', () => {
  it('waits a two-minute Retry-After with the injected sleep, not a real timer', async () => {
    let now = 1_000_000;
    const waits: number[] = [];
    const sent: number[] = [];
    const fetch: typeof globalThis.fetch = async () => {
      sent.push(now);
      return sent.length === 1
        ? new Response('{}', { status: 429, headers: { 'retry-after': '120', 'content-type': 'application/json' } })
        : Response.json({ ok: true });
    };
    const http = createHttpClient({
      baseUrl: 'https://api.vendor.example',
      fetch,
      retry: { maxRetryAfterMs: 300_000 },
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    // A real two-minute timer would exceed the test's timeout.
    expect(await http.request({ path: 'x' })).toEqual({ ok: true });
    expect(sent).toHaveLength(2);
    // p-retry's short base wait is a real timer; the rest of the window is the injected sleep.
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThan(119_000);
    expect(sent[1]! - sent[0]!).toBeGreaterThan(119_000);
  });
});
