import { afterEach, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import {
  ConfigError,
  checkConnectorConfig,
  connectorKit,
  defineConnector,
  type HttpClient,
  secret,
  ValidationError,
} from '@hmi/core';
import { collectMarkedKeys } from '@hmi/core/internal';
import { startLoopbackServer } from '@hmi/testing';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { recordEvents } from './record-events.js';

// The contract takes any Standard Schema: here valibot, the library the light connectors use to
// stay off zod's import cost. Same guarantees as with zod: secrets registered, unknown config keys
// named with a suggestion, inputs and outputs validated, no value quoted in an error.

type Server = Awaited<ReturnType<typeof startLoopbackServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const API_KEY = 'sk_live_valibot_canary_4242';
const PATIENT = 'سارة القحطاني';

const Config = v.object({
  baseUrl: v.pipe(v.string(), v.url()),
  apiKey: secret(v.pipe(v.string(), v.minLength(20))),
  region: v.optional(v.picklist(['sa', 'ae', 'eg']), 'sa'),
  oauth: v.optional(v.object({ clientId: v.string(), clientSecret: secret(v.string()) })),
});

const Echo = v.object({ id: v.pipe(v.string(), v.regex(/^msg_/)), name: v.string() });

const { action } = connectorKit<{ http: HttpClient }>();

function makeConnector() {
  return defineConnector({
    id: 'valibot-demo',
    name: 'Valibot demo',
    category: 'other',
    version: '0.0.0',
    config: Config,
    setup: (config, runtime) => ({ http: runtime.createHttpClient({ baseUrl: config.baseUrl, allowInsecureHttp: true }) }),
    actions: {
      echo: action({
        input: v.object({ name: v.pipe(v.string(), v.minLength(1)), count: v.optional(v.number(), 1) }),
        output: Echo,
        idempotent: true,
        run: async (input, ctx) => {
          const body = await ctx.http.request({ path: 'echo', query: { name: input.name }, schema: Echo });
          return body;
        },
      }),
    },
  });
}

describe('valibot schemas through the connector contract', () => {
  it('finds secret marks through valibot pipes, optionals and nested objects', () => {
    expect([...collectMarkedKeys(Config, 'secret')].sort()).toEqual(['apiKey', 'clientSecret']);
  });

  it('refuses a bad config with a ConfigError naming the field, never its value', () => {
    const connector = makeConnector();
    let error: unknown;
    try {
      connector.create({ baseUrl: 'https://api.example', apiKey: 'short-secret-value' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = JSON.stringify(error) + String((error as Error).message);
    expect(text).toContain('apiKey');
    expect(text).not.toContain('short-secret-value');
  });

  it('names an unknown config key and suggests the intended one', () => {
    const issues = checkConnectorConfig(Config, { baseUrl: 'https://api.example', apikey: API_KEY });
    expect(issues.map((i) => i.message)).toContain('unknown key; did you mean apiKey?');
    expect(() => makeConnector().create({ baseUrl: 'https://api.example', apiKey: API_KEY, regio: 'ae' } as never)).toThrow(
      /did you mean region\?/,
    );
  });

  it('validates input and output; errors name the path and expectation, not the value', async () => {
    server = await startLoopbackServer((req) => {
      const name = req.query.get('name') ?? '';
      // A vendor answer with a bad id for one name: the response check must catch it.
      return { status: 200, body: JSON.stringify({ id: name === 'bad' ? `x_${PATIENT}` : 'msg_1', name }) };
    });
    const instance = makeConnector().create({ baseUrl: server.url, apiKey: API_KEY });
    const events = recordEvents(instance.telemetry);
    await expect(instance.actions.echo({ name: PATIENT })).resolves.toEqual({ id: 'msg_1', name: PATIENT });

    const badInput = await instance.actions.echo({ name: 42 } as never).catch((e: unknown) => e);
    expect(badInput).toBeInstanceOf(ValidationError);
    expect((badInput as ValidationError).issues).toEqual([{ path: ['name'], code: 'string', message: 'expected string' }]);

    const badOutput = await instance.actions.echo({ name: 'bad' }).catch((e: unknown) => e);
    expect(badOutput).toBeInstanceOf(ValidationError);
    expect((badOutput as ValidationError).code).toBe('invalid_response');
    const serialized = JSON.stringify(badOutput) + String((badOutput as Error).message) + JSON.stringify(events);
    expect(serialized).toContain('id');
    expect(serialized).not.toContain(PATIENT);
    expect(serialized).not.toContain(API_KEY);
    await instance.close();
  });

  it('keeps a message the schema author wrote, and refuses an asynchronous schema', () => {
    const Checked = v.pipe(
      v.string(),
      v.check((s) => s.startsWith('+'), 'expected an E.164 number'),
    );
    expect(checkConnectorConfig(v.object({ to: Checked }), { to: '0555123456' })).toEqual([
      { path: ['to'], code: 'check', message: 'expected an E.164 number' },
    ]);
    const asyncSchema: StandardSchemaV1<unknown, string> = {
      '~standard': { version: 1, vendor: 'test', validate: async () => ({ value: 'x' }) },
    };
    expect(checkConnectorConfig(asyncSchema, {})).toEqual([
      { path: [], code: 'async_schema', message: 'asynchronous schemas are not supported here' },
    ]);
  });
});
