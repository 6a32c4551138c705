import { createServer } from 'node:net';
import {
  expectNoLeaks,
  fictionalPatient,
  leakedKinds,
  listenOnLoopback,
  scanForCanaries,
  startFetchLoopbackServer,
  startLoopbackServer,
} from '@hmi/testing';
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

describe('listenOnLoopback / startFetchLoopbackServer', () => {
  it('puts a raw net server on 127.0.0.1 and close() ends a connection left open', async () => {
    const listener = await listenOnLoopback(createServer((socket) => socket.write('hello')));
    const { connect } = await import('node:net');
    const socket = connect(listener.port, '127.0.0.1');
    const first = await new Promise<string>((resolve) => socket.once('data', (d) => resolve(String(d))));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await listener.close();
    await closed;
    expect([listener.url, first]).toEqual([`http://127.0.0.1:${listener.port}`, 'hello']);
  });

  it('writes Response replies as they are; a reply function that throws answers 500', async () => {
    const server = await startLoopbackServer((r) => {
      if (r.path === '/throw') throw new Error('handler bug');
      return new Response('bytes', { status: 202, headers: { 'content-type': 'text/plain', 'x-a': 'b' } });
    });
    try {
      const ok = await fetch(`${server.url}/ok`);
      expect([ok.status, ok.headers.get('content-type'), ok.headers.get('x-a'), await ok.text()]).toEqual([
        202,
        'text/plain',
        'b',
        'bytes',
      ]);
      expect((await fetch(`${server.url}/throw`)).status).toBe(500);
    } finally {
      await server.close();
    }
  });

  it('hands a web-standard Request (method, URL, headers, body) to a fetch handler', async () => {
    const server = await startFetchLoopbackServer(async (request) =>
      Response.json({ method: request.method, url: request.url, h: request.headers.get('x-h'), body: await request.text() }),
    );
    try {
      const res = await fetch(`${server.url}/p?q=1`, { method: 'POST', headers: { 'x-h': 'v' }, body: 'a=1' });
      expect(await res.json()).toEqual({ method: 'POST', url: `${server.url}/p?q=1`, h: 'v', body: 'a=1' });
      expect(server.seen).toHaveLength(1);
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

  it('reads form-encoded and decoded wire text, objects holding errors, and ignores case on request', () => {
    const wire = `/collect?uid=${new URLSearchParams({ n: 'Fatima Alharbi' })}`;
    expect(scanForCanaries([wire], ['Fatima Alharbi'])).toEqual([{ canary: 0, where: 0 }]);
    expect(scanForCanaries([{ event: 'x', error: new Error('for زرقاء') }], canaries)).toEqual([{ canary: 1, where: 0 }]);
    expect(scanForCanaries(['FATIMA.ALHARBI@EXAMPLE.SA'], ['fatima.alharbi@example.sa'])).toEqual([]);
    expect(scanForCanaries(['FATIMA.ALHARBI@EXAMPLE.SA'], ['fatima.alharbi@example.sa'], { ignoreCase: true })).toHaveLength(1);
  });

  it('leakedKinds names the kinds found, name parts included on request, in the order given', () => {
    const wire = ['/p?email=FATIMA.ALHARBI%40example.sa', 'hello Alharbi', JSON.stringify({ id: fictionalPatient.mrn })];
    expect(leakedKinds(wire, fictionalPatient, { ignoreCase: true })).toEqual(['mrn', 'email']);
    expect(leakedKinds(wire, fictionalPatient, { ignoreCase: true, wordParts: true })).toEqual(['mrn', 'email', 'name']);
    expect(leakedKinds(['clean'], fictionalPatient, { wordParts: true })).toEqual([]);
  });

  it('passes clean values', () => {
    expect(scanForCanaries([new Error('nothing here'), { a: 1 }], canaries)).toEqual([]);
    expect(() => expectNoLeaks(['x'], canaries)).not.toThrow();
  });
});
