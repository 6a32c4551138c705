import { expectNoLeaks, scanForCanaries, startLoopbackServer } from '@hmi/testing';
import { describe, expect, it } from 'vitest';

describe('startLoopbackServer', () => {
  it('answers from a queue (the last repeats) and records requests', async () => {
    const server = await startLoopbackServer([{ status: 503 }, { status: 200, body: '{"ok":true}' }]);
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${server.url}/v1/x?a=1`, { method: 'POST', body: 'b=2' })).status);
      expect(statuses).toEqual([503, 200, 200]);
      expect(server.seen.map((r) => [r.method, r.path, r.query.get('a'), r.body])).toEqual([
        ['POST', '/v1/x', '1', 'b=2'],
        ['POST', '/v1/x', '1', 'b=2'],
        ['POST', '/v1/x', '1', 'b=2'],
      ]);
    } finally {
      await server.close();
    }
  });

  it('answers from a function, and can reset a connection', async () => {
    const server = await startLoopbackServer((r) => (r.path === '/reset' ? 'reset' : { status: 201, headers: { 'x-a': 'b' } }));
    try {
      const ok = await fetch(`${server.url}/ok`);
      expect([ok.status, ok.headers.get('x-a')]).toEqual([201, 'b']);
      await expect(fetch(`${server.url}/reset`)).rejects.toThrow();
    } finally {
      await server.close();
    }
  });
});

describe('scanForCanaries / expectNoLeaks', () => {
  const canaries = ['sk_live_CANARY', 'زرقاء', '+966555123456'];

  it('finds canaries raw, JSON-escaped, URL-encoded, in causes and util.inspect, and names them by index', () => {
    const withCause = new Error('bad', { cause: new Error('for زرقاء') });
    const leaks = scanForCanaries(
      [withCause, { q: encodeURIComponent('+966555123456') }, 'clean', JSON.stringify({ k: 'sk_live_CANARY' })],
      canaries,
    );
    expect(leaks).toEqual(
      expect.arrayContaining([
        { canary: 1, where: 0 },
        { canary: 2, where: 1 },
        { canary: 0, where: 3 },
      ]),
    );
    expect(() => expectNoLeaks([withCause], canaries)).toThrow(/canary #1 in value #0/);
    expect(() => expectNoLeaks([withCause], canaries)).not.toThrow(/زرقاء/);
  });

  it('passes clean values', () => {
    expect(scanForCanaries([new Error('nothing here'), { a: 1 }], canaries)).toEqual([]);
    expect(() => expectNoLeaks(['x'], canaries)).not.toThrow();
  });
});
