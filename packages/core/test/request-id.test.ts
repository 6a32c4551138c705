// Issue 11 #5: a vendor's request id is kept only as a short token of safe characters.
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, createTelemetry, type HmiError } from '@hmi/core';
import { safeRequestId } from '../src/http/request-id.js';
import { startLoopbackServer } from '@hmi/testing';
import { recordEvents } from './record-events.js';

const TOKEN = 'sk_live_canary_reqid_7731';
const PHONE = '+966555123456';

type Server = Awaited<ReturnType<typeof startLoopbackServer>>;
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('safeRequestId', () => {
  it.each(['req_1Nf3aB2eZvKYlo2C', 'RQ0123456789abcdef0123456789abcdef', '6f1c2a9e-7d1b-4c53-9a7e-2b1f0c9d8e7a', 'a:b.c-d_e'])(
    'keeps %s',
    (id) => {
      expect(safeRequestId(` ${id} `)).toBe(id);
    },
  );

  it.each([
    ['an Authorization value', `Bearer ${TOKEN}`],
    ['a phone number', PHONE],
    ['a bare phone number', '966555123456'],
    ['an MRN with separators', '000-123-4567'],
    ['Arabic text', 'فاطمة'],
    ['HTML', '<script>alert(1)</script>'],
    ['a newline', 'abc\ndef'],
    ['a 129-character token', 'a'.repeat(129)],
    ['nothing', ''],
  ])('drops %s', (_what, value) => {
    expect(safeRequestId(value)).toBeUndefined();
  });

  it('drops a token that holds a secret the client knows', () => {
    expect(safeRequestId(TOKEN, (v) => v.includes(TOKEN))).toBeUndefined();
    expect(safeRequestId('req_ok', (v) => v.includes(TOKEN))).toBe('req_ok');
  });
});

describe('x-request-id from a hostile vendor never reaches an error surface', () => {
  it.each([
    ['the Authorization value it received', (auth: string) => auth],
    ['a phone number', () => `patient ${PHONE}`],
    ['the bare token', () => TOKEN],
  ])('%s', async (_what, echo) => {
    const server = await startLoopbackServer((req) => ({
      status: 400,
      headers: { 'x-request-id': echo(String(req.headers.authorization)), 'request-id': PHONE },
      body: '{}',
    }));
    servers.push(server);
    const telemetry = createTelemetry();
    const events = recordEvents(telemetry);
    const client = createHttpClient({
      baseUrl: server.url,
      allowInsecureHttp: true,
      telemetry,
      auth: { type: 'bearer', token: TOKEN },
      requestIdHeaders: ['x-request-id', 'request-id'],
      connector: 'vendor',
    });
    const error = (await client.request({ path: '/x' }).catch((e: unknown) => e)) as HmiError;
    expect(error.status).toBe(400);
    expect(error.requestId).toBeUndefined();
    const surfaces = [
      error.message,
      error.stack,
      JSON.stringify(error),
      JSON.stringify(error.toJSON()),
      inspect(error, { depth: 5 }),
      JSON.stringify(events),
    ].join('\n');
    expect(surfaces).not.toContain(TOKEN);
    expect(surfaces).not.toContain(PHONE);
    expect(surfaces).not.toContain('966555123456');
  });

  it('a safe id is kept on the error and on a success', async () => {
    const server = await startLoopbackServer((req) =>
      req.path === '/fail'
        ? { status: 404, headers: { 'x-request-id': 'req_abc123' }, body: '{}' }
        : { status: 200, headers: { 'x-request-id': 'req_ok_456' }, body: '{}' },
    );
    servers.push(server);
    const client = createHttpClient({ baseUrl: server.url, allowInsecureHttp: true });
    await expect(client.request({ path: '/fail' })).rejects.toMatchObject({ requestId: 'req_abc123' });
    await expect(client.requestRaw({ path: '/ok' })).resolves.toMatchObject({ requestId: 'req_ok_456' });
  });
});
