import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AbortedError,
  action,
  ConfigError,
  defineConnector,
  type HmiError,
  type HttpClient,
  hmac,
  isHmiError,
  secret,
  stream,
  timingSafeEqualString,
  ValidationError,
  webhook,
  WebhookVerificationError,
} from '@hmi/core';
import { startLoopbackServer } from '@hmi/testing';
import { recordEvents } from './record-events.js';

type Server = Awaited<ReturnType<typeof startLoopbackServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const API_KEY = 'sk_live_connector_canary_4242';
const NESTED_SECRET = 'nested-client-secret-9876';
const WEBHOOK_SECRET = 'whsec_canary_abcdef';

const Config = z.object({
  baseUrl: z.string().url(),
  apiKey: secret(z.string().min(20)),
  region: z.enum(['sa', 'ae', 'eg']).default('sa'),
  oauth: z.object({ clientId: z.string(), clientSecret: secret(z.string()) }).optional(),
  webhookSecret: secret(z.string()).optional(),
});

const Patient = z.object({ id: z.string(), name: z.string() });

/** What the demo connector's actions receive. */
interface DemoCtx {
  http: HttpClient;
  config: z.output<typeof Config>;
}

function makeConnector(hooks: { onSetup?: (config: z.output<typeof Config>) => void } = {}) {
  return defineConnector({
    id: 'demo',
    name: 'Demo EHR',
    category: 'ehr',
    version: '0.1.0',
    config: Config,
    auth: ['bearer'],
    setup(config, runtime): DemoCtx {
      hooks.onSetup?.(config);
      return {
        http: runtime.createHttpClient({
          baseUrl: config.baseUrl,
          allowInsecureHttp: true,
          auth: { type: 'bearer', token: config.apiKey },
          retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
        }),
        config,
      };
    },
    async check(ctx: DemoCtx) {
      await ctx.http.request({ path: '/health' });
    },
    actions: {
      getPatient: action({
        input: z.object({ id: z.string().min(1) }),
        output: Patient,
        idempotent: true,
        run: (input, ctx: DemoCtx, call) =>
          ctx.http.request({ path: `/patients/${input.id}`, signal: call.signal, operation: call.operation }),
      }),
      createNote: action({
        input: z.object({ patientId: z.string(), text: z.string() }),
        output: z.object({ id: z.string(), key: z.string().optional() }),
        idempotent: false,
        run: (input, ctx: DemoCtx, call) =>
          ctx.http.request({
            method: 'POST',
            path: '/notes',
            json: input,
            idempotencyKey: call.idempotencyKey,
            operation: call.operation,
          }),
      }),
      explode: action({
        input: z.object({}),
        output: z.object({}),
        idempotent: true,
        run: async (_input, ctx: DemoCtx) => {
          throw new Error(`driver failed with key ${ctx.config.apiKey} for +966555123456`);
        },
      }),
    },
    streams: {
      patients: stream({
        record: Patient,
        checkpoint: z.object({ page: z.number().int() }),
        async *read(_ctx, { checkpoint }) {
          const start = checkpoint?.page ?? 0;
          for (let page = start; page < 3; page++) {
            yield { records: [{ id: `p${page}`, name: `n${page}` }], checkpoint: { page: page + 1 } };
          }
        },
      }),
      broken: stream({
        record: Patient,
        checkpoint: z.string(),
        async *read() {
          yield { records: [{ id: 'ok', name: 'fine' }], checkpoint: 'c1' };
          yield { records: [{ id: 7, name: 'فاطمة الحربي' }], checkpoint: 'c2' } as never;
        },
      }),
      shapeless: stream({
        record: Patient,
        checkpoint: z.string(),
        async *read() {
          yield 'not a page' as never;
        },
      }),
    },
    webhooks: {
      events: webhook({
        async verify(request, ctx: DemoCtx) {
          const signature = request.headers.get('x-signature') ?? '';
          const expected = hmac('sha256', ctx.config.webhookSecret ?? '', request.rawBody);
          if (!timingSafeEqualString(signature, expected)) throw new WebhookVerificationError('bad signature');
          const body = JSON.parse(new TextDecoder().decode(request.rawBody)) as { id: string; type: string };
          return [{ id: body.id, type: body.type, data: body }];
        },
      }),
    },
  });
}

async function instance(handler: Parameters<typeof startLoopbackServer>[0]) {
  server = await startLoopbackServer(handler);
  const connector = makeConnector();
  const demo = connector.create({
    baseUrl: server.url,
    apiKey: API_KEY,
    oauth: { clientId: 'c', clientSecret: NESTED_SECRET },
    webhookSecret: WEBHOOK_SECRET,
  });
  return { demo, events: recordEvents(demo.telemetry), seen: server.seen };
}

const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as HmiError,
  );

describe('config', () => {
  it('a ConfigError names the bad fields, never their values', () => {
    let error: unknown;
    try {
      makeConnector().create({ baseUrl: 'not a url', apiKey: 'short-secret-value', region: 'xx' as 'sa' });
    } catch (e) {
      error = e;
    }
    expect(ConfigError.isInstance(error)).toBe(true);
    const config = error as ConfigError;
    expect(config.connector).toBe('demo');
    expect(config.issues.map((i) => i.path[0]).sort()).toEqual(['apiKey', 'baseUrl', 'region']);
    const text = `${config.message}${config.stack}${JSON.stringify(config)}`;
    for (const value of ['short-secret-value', 'not a url', 'xx']) expect(text).not.toContain(value);
  });

  it('a missing config object is a ConfigError, not a TypeError', () => {
    expect(() => makeConnector().create(undefined as never)).toThrow(ConfigError);
  });

  it('a setup failure is an HmiError whose cause is scrubbed of config secrets', () => {
    const connector = makeConnector({
      onSetup: (config) => {
        throw new Error(`cannot reach ${config.baseUrl} with ${config.apiKey} / ${config.oauth?.clientSecret}`);
      },
    });
    let error: unknown;
    try {
      connector.create({ baseUrl: 'https://ehr.test', apiKey: API_KEY, oauth: { clientId: 'c', clientSecret: NESTED_SECRET } });
    } catch (e) {
      error = e;
    }
    expect(isHmiError(error)).toBe(true);
    expect((error as HmiError).operation).toBe('setup');
    const cause = (error as { cause?: Error }).cause!;
    expect(`${cause.message}${cause.stack}`).not.toContain(API_KEY);
    expect(`${cause.message}${cause.stack}`).not.toContain(NESTED_SECRET);
  });
});

describe('actions', () => {
  it('validate input before any request, and output after', async () => {
    const { demo, seen } = await instance((req) =>
      req.path === '/patients/bad' ? { status: 200, body: '{"id":1}' } : { status: 200, body: '{"id":"p1","name":"n"}' },
    );
    await expect(demo.actions.getPatient({ id: 'p1' })).resolves.toEqual({ id: 'p1', name: 'n' });
    const input = await fail(demo.actions.getPatient({ id: '' }));
    expect(ValidationError.isInstance(input)).toBe(true);
    expect(input).toMatchObject({ code: 'validation_error', connector: 'demo', operation: 'getPatient' });
    const output = await fail(demo.actions.getPatient({ id: 'bad' }));
    expect(output).toMatchObject({ code: 'invalid_response', connector: 'demo', operation: 'getPatient' });
    expect(seen).toHaveLength(2);
  });

  it('a non-idempotent action gets one generated idempotency key, reused across retries', async () => {
    let n = 0;
    const { demo, seen } = await instance(() => (n++ === 0 ? { status: 503 } : { status: 200, body: '{"id":"note1"}' }));
    await demo.actions.createNote({ patientId: 'p1', text: 'hello' });
    expect(seen).toHaveLength(2);
    const keys = seen.map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    await demo.actions.createNote({ patientId: 'p1', text: 'again' });
    expect(seen[2]!.headers['idempotency-key']).not.toBe(keys[0]);
  });

  it("uses the caller's idempotency key when given; idempotent actions get none", async () => {
    const { demo, seen } = await instance((req) => ({
      status: 200,
      body: req.path === '/notes' ? '{"id":"n"}' : '{"id":"p","name":"x"}',
    }));
    await demo.actions.createNote({ patientId: 'p1', text: 'x' }, { idempotencyKey: 'outbox-17' });
    await demo.actions.getPatient({ id: 'p' });
    expect(seen[0]!.headers['idempotency-key']).toBe('outbox-17');
    expect(seen[1]!.headers['idempotency-key']).toBeUndefined();
  });

  it('a foreign error in run becomes an HmiError naming the action, scrubbed of secrets', async () => {
    const { demo, events } = await instance(() => ({ status: 200, body: '{}' }));
    const error = await fail(demo.actions.explode({}));
    expect(error).toMatchObject({ code: 'internal_error', connector: 'demo', operation: 'explode' });
    const cause = (error as { cause?: Error }).cause!;
    expect(`${cause.message}${cause.stack}`).not.toContain(API_KEY);
    expect(`${cause.message}`).not.toContain('966555123456');
    expect(events.find((e) => e.name === 'action:end')!.payload).toMatchObject({
      ok: false,
      errorCode: 'internal_error',
      operation: 'explode',
    });
  });

  it('action hooks see every call', async () => {
    const { demo } = await instance(() => ({ status: 200, body: '{"id":"p","name":"x"}' }));
    const seen: string[] = [];
    demo.hook.action.before((o) => {
      seen.push(`before:${o.action}`);
    });
    demo.hook.action.after((_r, o) => {
      seen.push(`after:${o.action}`);
    });
    await demo.actions.getPatient({ id: 'p' });
    expect(seen).toEqual(['before:getPatient', 'after:getPatient']);
  });
});

describe('streams', () => {
  it('yield validated pages with checkpoints, and resume from one', async () => {
    const { demo } = await instance(() => ({ status: 200 }));
    const pages = [];
    for await (const page of demo.streams.patients.read()) pages.push(page);
    expect(pages.map((p) => p.checkpoint)).toEqual([{ page: 1 }, { page: 2 }, { page: 3 }]);
    const resumed = [];
    for await (const page of demo.streams.patients.read({ checkpoint: { page: 2 } })) resumed.push(page.records[0]!.id);
    expect(resumed).toEqual(['p2']);
  });

  it('an invalid record stops the stream with a ValidationError (paths only)', async () => {
    const { demo } = await instance(() => ({ status: 200 }));
    const got: string[] = [];
    const error = await fail(
      (async () => {
        for await (const page of demo.streams.broken.read()) got.push(page.records[0]!.id);
      })(),
    );
    expect(got).toEqual(['ok']);
    expect(error).toMatchObject({ code: 'invalid_response', connector: 'demo', operation: 'broken' });
    expect(JSON.stringify(error) + error.message).not.toContain('فاطمة');
  });

  it('an invalid checkpoint or a page without records is a ValidationError', async () => {
    const { demo } = await instance(() => ({ status: 200 }));
    const bad = await fail(
      (async () => {
        for await (const _ of demo.streams.patients.read({ checkpoint: { page: 'x' } as never })) void _;
      })(),
    );
    expect(ValidationError.isInstance(bad)).toBe(true);
    const shapeless = await fail(
      (async () => {
        for await (const _ of demo.streams.shapeless.read()) void _;
      })(),
    );
    expect(ValidationError.isInstance(shapeless)).toBe(true);
  });

  it('stops with AbortedError when the signal aborts between pages', async () => {
    const { demo } = await instance(() => ({ status: 200 }));
    const controller = new AbortController();
    const got: number = await (async () => {
      let n = 0;
      try {
        for await (const _ of demo.streams.patients.read({ signal: controller.signal })) {
          n++;
          controller.abort();
        }
      } catch (error) {
        expect(AbortedError.isInstance(error)).toBe(true);
      }
      return n;
    })();
    expect(got).toBe(1);
  });
});

describe('webhooks and check', () => {
  const body = JSON.stringify({ id: 'evt_1', type: 'patient.updated' });
  const request = (signature: string) =>
    new Request('https://crm.test/hooks/demo', { method: 'POST', headers: { 'x-signature': signature }, body });

  it('verify accepts a good signature and tags events with the connector', async () => {
    const { demo } = await instance(() => ({ status: 200 }));
    const events = await demo.webhooks.events.verify(request(hmac('sha256', WEBHOOK_SECRET, body)));
    expect(events).toEqual([
      { id: 'evt_1', type: 'patient.updated', data: { id: 'evt_1', type: 'patient.updated' }, connector: 'demo' },
    ]);
  });

  it('a bad signature is a WebhookVerificationError; a non-request is a ValidationError', async () => {
    const { demo } = await instance(() => ({ status: 200 }));
    const error = await fail(demo.webhooks.events.verify(request('forged')));
    expect(WebhookVerificationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ connector: 'demo', operation: 'webhook:events', status: 401 });
    expect(ValidationError.isInstance(await fail(demo.webhooks.events.verify({} as never)))).toBe(true);
  });

  it('check() reports ok, or the error, and never throws', async () => {
    let up = true;
    const { demo } = await instance(() => (up ? { status: 200, body: '{}' } : { status: 401 }));
    expect(await demo.check()).toEqual({ ok: true });
    up = false;
    const result = await demo.check();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ status: 401, connector: 'demo', operation: 'check' });
  });

  it('the instance describes itself', async () => {
    const { demo } = await instance(() => ({ status: 200 }));
    expect(demo).toMatchObject({ id: 'demo', name: 'Demo EHR', category: 'ehr', version: '0.1.0', contractVersion: 1 });
  });
});
