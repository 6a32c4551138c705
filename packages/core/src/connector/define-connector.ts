import { nodeCrypto } from '../internal/builtins.js';
import { AbortedError, ConfigError, ValidationError } from '../errors/errors.js';
import { HmiError, isHmiError } from '../errors/hmi-error.js';
import { scrubCause } from '../errors/internal.js';
import { formatIssues } from '../errors/zod-issues.js';
import { type AnySchema, runSchema, type SchemaInput, type SchemaOutput } from '../schema/standard.js';
import { unknownConfigKeys } from './unknown-keys.js';
import { createHttpClient } from '../http/create-http-client.js';
import type { HttpClient } from '../http/types.js';
import { collectMarkedKeys } from '../model/registry.js';
import { Hook } from '../telemetry/hooks.js';
import { createTelemetry } from '../telemetry/telemetry.js';
import { isWebhookRequest, toWebhookRequest, type WebhookEvent, type WebhookRequest } from '../webhooks/types.js';
import {
  type ActionCall,
  type ActionDefinition,
  type ActionHookOptions,
  CONNECTOR_CONTRACT_VERSION,
  type ConnectorDefinition,
  type ConnectorInstance,
  type ConnectorInstanceOptions,
  type StreamDefinition,
  type WebhookDefinition,
  type WebhookHandle,
  type WebhookHandshakeRequest,
} from './types.js';

/** Declares an action; the identity function that gives it its types. */
export function action<Ctx, I extends AnySchema, O extends AnySchema>(
  definition: ActionDefinition<Ctx, I, O>,
): ActionDefinition<Ctx, I, O> {
  return definition;
}

/** Declares a stream; the identity function that gives it its types. */
export function stream<Ctx, R extends AnySchema, C extends AnySchema>(
  definition: StreamDefinition<Ctx, R, C>,
): StreamDefinition<Ctx, R, C> {
  return definition;
}

/** Checks a webhook's event list and stamps the connector id on each event. */
function withConnector(events: unknown, operation: string, connector: string): WebhookEvent[] {
  if (!Array.isArray(events)) {
    throw new ValidationError(`${operation} returned no event list`, {
      code: 'invalid_response',
      issues: [{ path: [], code: 'invalid_type', message: 'expected array' }],
    });
  }
  return events.map((event: WebhookEvent) => ({ ...event, connector }));
}

/** Declares a webhook; the identity function that gives it its types. */
export function webhook<Ctx>(definition: WebhookDefinition<Ctx>): WebhookDefinition<Ctx> {
  return definition;
}

/** `action`, `stream` and `webhook` bound to one context type: see {@link connectorKit}. */
export interface ConnectorKit<Ctx> {
  /** Declares an action whose `run(input, ctx, call)` receives this kit's context type. */
  action<I extends AnySchema, O extends AnySchema>(definition: ActionDefinition<Ctx, I, O>): ActionDefinition<Ctx, I, O>;
  /** Declares a stream whose `read(ctx, options)` receives this kit's context type. */
  stream<R extends AnySchema, C extends AnySchema>(definition: StreamDefinition<Ctx, R, C>): StreamDefinition<Ctx, R, C>;
  /** Declares a webhook whose `verify(request, ctx)` receives this kit's context type. */
  webhook(definition: WebhookDefinition<Ctx>): WebhookDefinition<Ctx>;
}

/**
 * Returns `action`, `stream` and `webhook` bound to a connector's context type, so `run(input, ctx)`
 * is typed without annotating `ctx` in every file. The helpers are the same identity functions.
 *
 * @example
 * ```ts
 * import { connectorKit, type HttpClient } from '@hmi/core';
 * import { z } from 'zod';
 *
 * interface SurveyContext { http: HttpClient; clinicId: string }
 * const { action } = connectorKit<SurveyContext>();
 *
 * export const sendSurvey = action({
 *   input: z.object({ contactId: z.string() }),
 *   output: z.object({ id: z.string() }),
 *   idempotent: false,
 *   // ctx is SurveyContext, input is { contactId: string }: no annotations needed.
 *   run: (input, ctx, call) =>
 *     ctx.http.request({
 *       method: 'POST',
 *       path: `clinics/${ctx.clinicId}/invitations`,
 *       json: { contact: input.contactId },
 *       idempotencyKey: call.idempotencyKey,
 *       schema: z.object({ id: z.string() }),
 *     }),
 * });
 * ```
 */
export function connectorKit<Ctx>(): ConnectorKit<Ctx> {
  return { action, stream, webhook } as ConnectorKit<Ctx>;
}

/** A connector definition plus `create(config)`, which validates config and returns an instance. */
export interface Connector<
  ConfigSchema extends AnySchema,
  Ctx,
  Actions extends Record<string, ActionDefinition<Ctx, any, any>>,
  Streams extends Record<string, StreamDefinition<Ctx, any, any>>,
  Webhooks extends Record<string, WebhookDefinition<Ctx>>,
> {
  /** The definition as given to {@link defineConnector}. */
  readonly definition: ConnectorDefinition<ConfigSchema, Ctx, Actions, Streams, Webhooks>;
  /**
   * Validates `config` (a ConfigError names the bad field, never its value), registers its secrets
   * with the redactor and returns a ready instance.
   */
  create(config: SchemaInput<ConfigSchema>, options?: ConnectorInstanceOptions): ConnectorInstance<Actions, Streams, Webhooks>;
}

/**
 * Makes any error an HmiError naming the connector and operation. A foreign error (a bug, a
 * library's exception) becomes the sanitised `cause`, scrubbed of the secrets the connector's
 * redactor knows: connector code may have put a config value in its message.
 */
function stamp(error: unknown, connector: string, operation: string, scrub?: (text: string) => string): HmiError {
  let hmi: HmiError;
  if (isHmiError(error)) hmi = error;
  else if (isAbort(error)) hmi = new AbortedError(undefined, { connector, operation });
  else {
    hmi = new HmiError(`${operation} failed`, { code: 'internal_error', cause: error });
    if (scrub) scrubCause(hmi, scrub);
  }
  hmi.connector ??= connector;
  hmi.operation ??= operation;
  return hmi;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError') && !isHmiError(error);
}

function validate<S extends AnySchema>(
  schema: S,
  value: unknown,
  what: string,
  connector: string,
  operation: string,
): SchemaOutput<S> {
  const result = runSchema(schema, value);
  if (result.ok) return result.value;
  const issues = result.issues;
  throw new ValidationError(`${what} of ${operation} is invalid: ${formatIssues(issues)}`, {
    issues,
    connector,
    operation,
    code: what === 'output' || what === 'record' ? 'invalid_response' : 'validation_error',
  });
}

/**
 * Defines a connector under contract v1. The result's `create(config)` validates the config (a
 * ConfigError names the bad field, never its value), registers secret fields with the redactor,
 * and returns an instance whose actions validate input and output, whose streams validate every
 * record, and whose errors name the connector and operation.
 */
export function defineConnector<
  ConfigSchema extends AnySchema,
  Ctx,
  Actions extends Record<string, ActionDefinition<Ctx, any, any>>,
  Streams extends Record<string, StreamDefinition<Ctx, any, any>> = Record<never, never>,
  Webhooks extends Record<string, WebhookDefinition<Ctx>> = Record<never, never>,
>(
  definition: ConnectorDefinition<ConfigSchema, Ctx, Actions, Streams, Webhooks>,
): Connector<ConfigSchema, Ctx, Actions, Streams, Webhooks> {
  const secretKeys = collectMarkedKeys(definition.config, 'secret');
  const id = definition.id;

  function create(
    rawConfig: SchemaInput<ConfigSchema>,
    options: ConnectorInstanceOptions = {},
  ): ConnectorInstance<Actions, Streams, Webhooks> {
    const parsed = runSchema(definition.config, rawConfig);
    // Unknown keys are refused too (a misspelt secret would otherwise leave the real one unset).
    const issues = [...(parsed.ok ? [] : parsed.issues), ...unknownConfigKeys(definition.config, rawConfig)];
    if (!parsed.ok || issues.length > 0) {
      throw new ConfigError(`invalid ${definition.name} config: ${formatIssues(issues)}`, { issues, connector: id });
    }
    const config = parsed.value;
    const telemetry = options.telemetry ?? createTelemetry();
    const addSecret = (s: string) => telemetry.redactor.addSecret(s);
    // Both forms: a transform may have changed the value the caller passed in.
    registerSecrets(rawConfig, secretKeys, addSecret);
    registerSecrets(config, secretKeys, addSecret);
    const scrub = telemetry.redactor.redactString;
    // Every client made for this instance, so `close()` can free their keep-alive pools.
    const httpClients: HttpClient[] = [];
    const runtime = {
      telemetry,
      fetch: options.fetch,
      connector: id,
      createHttpClient: (http: Parameters<typeof createHttpClient>[0]) => {
        const client = createHttpClient({ connector: id, telemetry, ...(options.fetch && { fetch: options.fetch }), ...http });
        httpClients.push(client);
        return client;
      },
    };
    let closing: Promise<void> | undefined;
    let ctx: Ctx;
    try {
      ctx = definition.setup(config, runtime);
    } catch (error) {
      throw stamp(error, id, 'setup', scrub);
    }
    const actionHook = new Hook<ActionHookOptions, unknown>();

    const actions = Object.fromEntries(
      Object.entries(definition.actions).map(([name, def]) => {
        const fn = async (input: unknown, callOptions: { signal?: AbortSignal; idempotencyKey?: string } = {}) => {
          const started = performance.now();
          const call: ActionCall = {
            signal: callOptions.signal,
            idempotencyKey: callOptions.idempotencyKey ?? (def.idempotent ? undefined : nodeCrypto().randomUUID()),
            operation: name,
          };
          try {
            const output = await actionHook.run(
              async (opts) => {
                const validInput = validate(def.input, opts.input, 'input', id, name);
                const result = await def.run(validInput, ctx, opts.call);
                return validate(def.output, result, 'output', id, name);
              },
              { connector: id, action: name, input, call },
            );
            telemetry.emit('action:end', { connector: id, operation: name, durationMs: performance.now() - started, ok: true });
            return output;
          } catch (error) {
            const hmi = stamp(error, id, name, scrub);
            telemetry.emit('action:end', {
              connector: id,
              operation: name,
              durationMs: performance.now() - started,
              ok: false,
              errorCode: hmi.code,
            });
            throw hmi;
          }
        };
        return [name, fn];
      }),
    ) as ConnectorInstance<Actions, Streams, Webhooks>['actions'];

    const streams = Object.fromEntries(
      Object.entries(definition.streams ?? {}).map(([name, def]) => [
        name,
        {
          read(readOptions: { checkpoint?: unknown; signal?: AbortSignal } = {}) {
            return readStream(def, ctx, id, name, readOptions, scrub);
          },
        },
      ]),
    ) as unknown as ConnectorInstance<Actions, Streams, Webhooks>['streams'];

    const webhooks = Object.fromEntries(
      Object.entries(definition.webhooks ?? {}).map(([name, def]) => {
        const operation = `webhook:${name}`;
        const receive = async (request: Request | WebhookRequest) => {
          try {
            let raw: WebhookRequest;
            if (isWebhookRequest(request)) raw = request;
            else if (request instanceof Request) raw = await toWebhookRequest(request);
            else {
              throw new ValidationError(`${operation} needs a Fetch Request or a WebhookRequest`, {
                issues: [{ path: [], code: 'invalid_type', message: 'expected Request or WebhookRequest' }],
              });
            }
            return withConnector(await def.verify(raw, ctx), operation, id);
          } catch (error) {
            throw stamp(error, id, operation, scrub);
          }
        };
        const map = async (event: WebhookEvent) => {
          if (!def.map) return [{ ...event, connector: id }];
          try {
            return withConnector(await def.map(event, ctx), operation, id);
          } catch (error) {
            throw stamp(error, id, operation, scrub);
          }
        };
        const handle: WebhookHandle = {
          receive,
          map,
          async verify(request) {
            const received = await receive(request);
            if (!def.map) return received;
            const mapped: WebhookEvent[] = [];
            for (const event of received) mapped.push(...(await map(event)));
            return mapped;
          },
          async handshake(request: Request | WebhookHandshakeRequest) {
            if (!def.handshake) return undefined;
            try {
              return await def.handshake({ method: request.method, url: request.url, headers: request.headers }, ctx);
            } catch (error) {
              throw stamp(error, id, `${operation}:handshake`, scrub);
            }
          },
        };
        return [name, handle];
      }),
    ) as ConnectorInstance<Actions, Streams, Webhooks>['webhooks'];

    return {
      id,
      name: definition.name,
      category: definition.category,
      version: definition.version,
      contractVersion: CONNECTOR_CONTRACT_VERSION,
      actions,
      streams,
      webhooks,
      telemetry,
      hook: { action: actionHook },
      async check(signal) {
        if (!definition.check) return { ok: true };
        try {
          await definition.check(ctx, signal);
          return { ok: true };
        } catch (error) {
          return { ok: false, error: stamp(error, id, 'check', scrub) };
        }
      },
      close() {
        closing ??= (async () => {
          for (const client of httpClients.splice(0)) client.close();
          try {
            await definition.close?.(ctx);
          } catch (error) {
            throw stamp(error, id, 'close', scrub);
          }
        })();
        return closing;
      },
    };
  }

  return { definition, create };
}

async function* readStream<Ctx>(
  def: StreamDefinition<Ctx, AnySchema, AnySchema>,
  ctx: Ctx,
  connector: string,
  name: string,
  options: { checkpoint?: unknown; signal?: AbortSignal },
  scrub: (text: string) => string,
) {
  const { signal } = options;
  try {
    const checkpoint =
      options.checkpoint === undefined ? undefined : validate(def.checkpoint, options.checkpoint, 'checkpoint', connector, name);
    if (signal?.aborted) throw new AbortedError(undefined, { connector, operation: name });
    for await (const page of def.read(ctx, { checkpoint, signal })) {
      if (!page || typeof page !== 'object' || !Array.isArray((page as { records?: unknown }).records)) {
        throw new ValidationError(`stream ${name} yielded a page without a records array`, {
          code: 'invalid_response',
          issues: [{ path: ['records'], code: 'invalid_type', message: 'expected array' }],
          connector,
          operation: name,
        });
      }
      const records = page.records.map((record) => validate(def.record, record, 'record', connector, name));
      const next = validate(def.checkpoint, page.checkpoint, 'checkpoint', connector, name);
      yield { records, checkpoint: next };
      // A consumer that aborted between pages stops here even if the connector ignores the signal.
      if (signal?.aborted) throw new AbortedError(undefined, { connector, operation: name });
    }
  } catch (error) {
    throw stamp(error, connector, name, scrub);
  }
}

/** Registers every string under a secret-marked key, at any depth of the config. */
function registerSecrets(value: unknown, keys: Set<string>, add: (secret: string) => void, depth = 0): void {
  if (keys.size === 0 || depth > 8 || value === null || typeof value !== 'object') return;
  const addAll = (v: unknown, d: number): void => {
    if (typeof v === 'string') add(v);
    else if (Array.isArray(v)) for (const item of v) addAll(item, d + 1);
    else if (v !== null && typeof v === 'object' && d < 8) for (const inner of Object.values(v)) addAll(inner, d + 1);
  };
  for (const [key, v] of Object.entries(value)) {
    if (keys.has(key)) addAll(v, depth);
    else registerSecrets(v, keys, add, depth + 1);
  }
}
