import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  action,
  createConsentGate,
  createHttpClient,
  createTelemetry,
  defineConnector,
  type HttpClient,
  type HttpClientOptions,
  renderTemplate,
  secret,
  type Telemetry,
  webhook,
  WebhookVerificationError,
} from '@hmi/core';
import { Contact } from '@hmi/core/schemas';
import { expectNoLeaks, type LoopbackReply, type LoopbackRequest, scanForCanaries, startLoopbackServer } from '@hmi/testing';

/**
 * The canary test: secret and PHI canaries go through every path of the core (success, 4xx with
 * the PHI in the response body, 5xx, timeouts, network errors, validation errors, config errors,
 * token endpoint failures, connector bugs, webhooks, consent, templates) while every telemetry
 * event and every error (message, stack, JSON, util.inspect, cause) is scanned. None may hold one.
 */
const SECRETS = {
  accessToken: 'tok_CANARY_s3cr3t_7f3b9c2e',
  clientSecret: 'cs_CANARY_client_secret_55',
  configSecret: 'cfg_CANARY_api_key_0099',
  staticToken: 'bearer_CANARY_static_1234',
};
const PHI = { name: 'فاطمة الحربي', phone: '+966555123456', email: 'fatima.alharbi@example.sa' };
const CANARIES = [...Object.values(SECRETS), ...Object.values(PHI), '966555123456', 'fatima.alharbi'];

type Server = Awaited<ReturnType<typeof startLoopbackServer>>;
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

class Scanner {
  readonly telemetry: Telemetry = createTelemetry();
  readonly events: Array<{ name: string; payload: unknown }> = [];
  readonly errors: unknown[] = [];
  constructor() {
    this.telemetry.onAny((name, payload) => this.events.push({ name, payload }));
  }
  async capture(p: Promise<unknown> | (() => unknown)): Promise<unknown> {
    try {
      await (typeof p === 'function' ? p() : p);
      return undefined;
    } catch (error) {
      this.errors.push(error);
      return error;
    }
  }
  /** Every event and every error (message, stack, JSON, properties, causes, util.inspect) is scanned. */
  assertClean(minErrors: number) {
    expect(this.errors.length).toBeGreaterThanOrEqual(minErrors);
    expectNoLeaks([...this.events, ...this.errors], CANARIES);
  }
}

/** A vendor that echoes patient data back in every answer, and an IdP that issues the canary token. */
async function leakyVendor(route: (req: LoopbackRequest) => LoopbackReply | Promise<LoopbackReply>) {
  const server = await startLoopbackServer((req) => {
    if (req.path === '/oauth/token') {
      return { status: 200, body: JSON.stringify({ access_token: SECRETS.accessToken, expires_in: 3600 }) };
    }
    return route(req);
  });
  servers.push(server);
  return server;
}

const phiBody = JSON.stringify({
  error: { message: `Patient ${PHI.name} (${PHI.phone}, ${PHI.email}) is invalid` },
  patient: PHI,
});

function clients(scanner: Scanner, url: string, extra: Partial<HttpClientOptions> = {}) {
  const base = {
    baseUrl: url,
    allowInsecureHttp: true,
    telemetry: scanner.telemetry,
    timeoutMs: 300,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
  };
  return [
    createHttpClient({
      ...base,
      auth: {
        type: 'oauth2-client-credentials',
        tokenUrl: `${url}/oauth/token`,
        clientId: 'crm',
        clientSecret: SECRETS.clientSecret,
      },
      ...extra,
    }),
    createHttpClient({
      ...base,
      auth: { type: 'bearer', token: SECRETS.staticToken },
      headers: { 'x-api-key': SECRETS.configSecret },
      ...extra,
    }),
  ];
}

/** Requests that carry PHI in path, query and body. */
function phiRequests(path = '/patients') {
  return [
    { path: `${path}/${encodeURIComponent(PHI.phone)}`, query: { name: PHI.name, email: PHI.email } },
    { method: 'POST' as const, path, json: { name: PHI.name, phone: PHI.phone, email: PHI.email }, idempotencyKey: 'k-1' },
    { method: 'PUT' as const, path: `${path}/${encodeURIComponent(PHI.name)}`, form: { to: PHI.phone, body: PHI.name } },
  ];
}

describe('canary: nothing secret or PHI escapes', () => {
  it('the scanner itself sees a canary when there is one (control)', () => {
    expect(scanForCanaries([`x ${PHI.name} y`], CANARIES)).toEqual([{ canary: CANARIES.indexOf(PHI.name), where: 0 }]);
    const cause = new Error('wrapped', { cause: new Error(`boom ${SECRETS.accessToken}`) });
    expect(() => expectNoLeaks([cause], CANARIES)).toThrow(/canary leak/);
  });

  it('successful requests with PHI in path, query, body and response', async () => {
    const scanner = new Scanner();
    const server = await leakyVendor(() => ({ status: 200, body: phiBody, headers: { 'request-id': 'req_1' } }));
    for (const client of clients(scanner, server.url)) {
      for (const req of phiRequests()) await client.request(req);
    }
    // The canaries really travelled.
    expect(server.seen.some((r) => r.body.includes(PHI.name))).toBe(true);
    expect(server.seen.some((r) => r.headers.authorization === `Bearer ${SECRETS.accessToken}`)).toBe(true);
    expect(scanner.events.length).toBeGreaterThan(10);
    scanner.assertClean(0);
  });

  it.each([400, 401, 403, 404, 409, 422, 429, 500, 502, 503])('status %i with PHI in the response body', async (status) => {
    const scanner = new Scanner();
    const server = await leakyVendor(() => ({ status, body: phiBody, headers: { 'retry-after': '0' } }));
    for (const client of clients(scanner, server.url)) {
      for (const req of phiRequests()) await scanner.capture(client.request(req));
    }
    scanner.assertClean(6);
  });

  it('timeouts, resets, refused connections and malformed bodies', async () => {
    const scanner = new Scanner();
    let n = 0;
    const server = await leakyVendor(() => {
      n++;
      if (n % 3 === 0) return 'hang';
      if (n % 3 === 1) return 'reset';
      return { status: 200, body: `{"name":"${PHI.name}",` };
    });
    for (const client of clients(scanner, server.url)) {
      for (const req of phiRequests()) await scanner.capture(client.request(req));
    }
    const refused = createHttpClient({
      baseUrl: 'http://127.0.0.1:1',
      allowInsecureHttp: true,
      telemetry: scanner.telemetry,
      auth: { type: 'bearer', token: SECRETS.staticToken },
      retry: false,
    });
    await scanner.capture(refused.request(phiRequests()[0]!));
    scanner.assertClean(7);
  });

  it('response validation errors and opt-out of bodies', async () => {
    const scanner = new Scanner();
    const server = await leakyVendor(() => ({
      status: 200,
      body: JSON.stringify({ names: [{ text: 42 }], phones: [{ value: PHI.name }], emails: [{ value: PHI.phone }] }),
    }));
    for (const client of clients(scanner, server.url)) {
      await scanner.capture(client.request({ path: '/patients/1', schema: Contact }));
    }
    scanner.assertClean(2);
  });

  it('token endpoint failures that echo the credentials', async () => {
    const scanner = new Scanner();
    const server = await startLoopbackServer((req) =>
      req.path === '/oauth/token'
        ? { status: 401, body: JSON.stringify({ error: 'invalid_client', client_secret: SECRETS.clientSecret, hint: PHI.email }) }
        : { status: 200, body: '{}' },
    );
    servers.push(server);
    await scanner.capture(clients(scanner, server.url)[0]!.request(phiRequests()[0]!));
    scanner.assertClean(1);
  });

  it('connector config errors, setup bugs, action validation, action bugs and webhooks', async () => {
    const scanner = new Scanner();
    const server = await leakyVendor((req) =>
      req.path === '/bad-output' ? { status: 200, body: phiBody } : { status: 422, body: phiBody },
    );
    const LeakyConfig = z.object({
      baseUrl: z.string(),
      apiKey: secret(z.string().min(10)),
      nested: z.object({ token: secret(z.string()) }).optional(),
      mode: z.enum(['a', 'b']),
    });
    type LeakyCtx = { config: z.output<typeof LeakyConfig>; http: HttpClient };
    const connector = defineConnector({
      id: 'leaky',
      name: 'Leaky',
      category: 'ehr',
      version: '0.1.0',
      config: LeakyConfig,
      setup: (config, runtime): LeakyCtx => ({
        config,
        http: runtime.createHttpClient({
          baseUrl: config.baseUrl,
          allowInsecureHttp: true,
          auth: { type: 'bearer', token: config.apiKey },
          retry: false,
        }),
      }),
      actions: {
        upsert: action({
          input: Contact,
          output: z.object({ id: z.string() }),
          idempotent: false,
          run: (input, ctx: LeakyCtx, call) =>
            ctx.http.request({ method: 'POST', path: '/contacts', json: input, idempotencyKey: call.idempotencyKey }),
        }),
        read: action({
          input: z.object({}),
          output: z.object({ id: z.string() }),
          idempotent: true,
          run: (_i, ctx: LeakyCtx) => ctx.http.request({ path: '/bad-output' }),
        }),
        crash: action({
          input: z.object({ note: z.string() }),
          output: z.object({}),
          idempotent: true,
          run: async (input, ctx: LeakyCtx) => {
            throw new Error(`crashed on ${input.note} using ${ctx.config.apiKey} and ${ctx.config.nested?.token}`);
          },
        }),
      },
      webhooks: {
        inbound: webhook({
          async verify(request) {
            const text = new TextDecoder().decode(request.rawBody);
            if (!text.includes('signed')) throw new WebhookVerificationError('signature mismatch');
            return [];
          },
        }),
      },
    });
    // Config errors: a secret that is too short, a bad enum, with the canary as the value.
    await scanner.capture(() =>
      connector.create({ baseUrl: server.url, apiKey: SECRETS.configSecret.slice(0, 8), mode: PHI.name as 'a' }),
    );
    await scanner.capture(() =>
      connector.create({ baseUrl: 42 as never, apiKey: SECRETS.configSecret, nested: { token: 7 as never }, mode: 'a' }),
    );
    const leaky = connector.create(
      { baseUrl: server.url, apiKey: SECRETS.configSecret, nested: { token: SECRETS.staticToken }, mode: 'a' },
      { telemetry: scanner.telemetry },
    );
    // Input validation with PHI in the wrong places.
    await scanner.capture(
      leaky.actions.upsert({
        names: [{ text: PHI.name }],
        phones: [{ value: PHI.name }],
        emails: [{ value: PHI.phone }],
      } as never),
    );
    // A 422 echoing the PHI that was sent.
    await scanner.capture(
      leaky.actions.upsert({ names: [{ text: PHI.name }], phones: [{ value: PHI.phone }], emails: [{ value: PHI.email }] }),
    );
    await scanner.capture(leaky.actions.read({}));
    await scanner.capture(leaky.actions.crash({ note: `${PHI.name} ${PHI.phone} ${PHI.email}` }));
    await scanner.capture(
      leaky.webhooks.inbound.verify(
        new Request('https://crm.test/hook', { method: 'POST', body: JSON.stringify({ patient: PHI }) }),
      ),
    );
    scanner.assertClean(7);
  });

  it('consent refusals and template errors', async () => {
    const scanner = new Scanner();
    const query = { recipient: PHI.phone, channel: 'sms' as const, purpose: 'marketing' as const };
    await scanner.capture(createConsentGate().assertAllowed(query));
    await scanner.capture(createConsentGate({ check: () => false }).assertAllowed({ ...query, recipient: PHI.email }));
    await scanner.capture(
      createConsentGate({
        check: () => {
          throw new Error(`no row for ${PHI.phone} / ${PHI.name} / ${PHI.email}`);
        },
      }).assertAllowed(query),
    );
    await scanner.capture(() => renderTemplate({ ar: 'مرحبا {{name}} {{phone}}', en: '' }, 'ar', { name: PHI.name }));
    scanner.assertClean(4);
  });
});
