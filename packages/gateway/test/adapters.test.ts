import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { listenOnLoopback } from '@hmi/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { toExpress, toFastify, toHono, toNodeListener } from '../src/index.js';
import { setup } from './helpers.js';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function listen(server: Server): Promise<string> {
  const listener = await listenOnLoopback(server);
  closers.push(() => listener.close());
  return listener.url;
}

/** The same checks through every adapter: a lead, a problem, the document, a streamed event line. */
async function exercise(origin: string, prefix: string, admin: string) {
  const auth = { authorization: `Bearer ${admin}` };
  const lead = await fetch(`${origin}${prefix}/v1/leads`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'adapter-1' },
    body: JSON.stringify({ phone: '+201001234567', name: 'Omar' }),
  });
  expect(lead.status).toBe(201);
  expect(lead.headers.get('ratelimit-policy')).toBeTruthy();
  const again = await fetch(`${origin}${prefix}/v1/leads`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'adapter-1' },
    body: JSON.stringify({ phone: '+201001234567', name: 'Omar' }),
  });
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  const unknown = await fetch(`${origin}${prefix}/v1/leads`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ phone: '+201001234567', role: 'admin' }),
  });
  expect(unknown.status).toBe(400);
  expect(unknown.headers.get('content-type')).toBe('application/problem+json');
  const big = await fetch(`${origin}${prefix}/v1/leads`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ phone: '+201001234567', name: 'x'.repeat(200_000) }),
  });
  expect(big.status).toBe(413);
  const doc = await fetch(`${origin}${prefix}/openapi.json`);
  expect(((await doc.json()) as { openapi: string }).openapi).toBe('3.1.0');
  const events = await fetch(`${origin}${prefix}/v1/events`, { headers: auth });
  expect(events.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const reader = events.body!.getReader();
  const { value } = await reader.read();
  expect(new TextDecoder().decode(value)).toContain(': connected');
  await reader.cancel();
}

describe('adapters', () => {
  it('node:http', async () => {
    const { gateway, admin } = await setup();
    await exercise(await listen(createServer(toNodeListener(gateway))), '', admin);
    // The stream's close reaches the gateway through the adapter.
    await expect.poll(() => gateway.eventStreams).toBe(0);
  });

  it('Express, mounted under /api with express.json() in front', async () => {
    const { gateway, admin } = await setup();
    const app = express();
    app.use(express.json({ limit: '1mb' }));
    app.use('/api', toExpress(gateway));
    await exercise(await listen(createServer(app)), '/api', admin);
  });

  it('Fastify, registered under /hmi', async () => {
    const { gateway, admin } = await setup({ basePath: '/hmi' });
    const app = Fastify();
    await app.register(toFastify(gateway) as never, { prefix: '/hmi' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    const port = (app.server.address() as AddressInfo).port;
    await exercise(`http://127.0.0.1:${port}`, '/hmi', admin);
  });

  it('Hono, with app.mount and with a route handler', async () => {
    const { gateway, admin } = await setup({ basePath: '/gw' });
    const app = new Hono();
    app.all('/gw/*', toHono(gateway));
    const res = await app.request('/gw/v1/me', { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    const mounted = await setup();
    const app2 = new Hono();
    app2.mount('/api', mounted.gateway.fetch);
    const me = await app2.request('/api/v1/me', { headers: { authorization: `Bearer ${mounted.admin}` } });
    expect(((await me.json()) as { client: { name: string } }).client.name).toBe('admin');
  });
});
