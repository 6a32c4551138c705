import { randomUUID } from 'node:crypto';
import { AuthError, formatIssues, type HttpClient, toValidationIssues, ValidationError } from '@hmi/core';
import { z } from 'zod';
import type { OdooConfig } from './odoo-config.js';
import { odooFaultToError } from './odoo-error.js';

/** One ORM call: `model.method(*ids, **params)` with a context. */
export interface OdooCall<T> {
  /** Record ids the method runs on; omitted for `@api.model` methods (`search_read`, `create`). */
  ids?: readonly number[];
  /** Named arguments: `domain`, `fields`, `limit`, `vals_list`… */
  params?: Record<string, unknown>;
  /** Added to the instance's context (`lang`, `allowed_company_ids`). */
  context?: Record<string, unknown>;
  /** Validates the method's return value. */
  schema: z.ZodType<T>;
  /** The action or stream, for telemetry and errors. */
  operation: string;
  signal?: AbortSignal | undefined;
  /**
   * The call changes data (`create`, `write`, `action_post`). Odoo has no idempotency keys, so a
   * write is never repeated by the core unless Odoo says it rolled the transaction back; the
   * actions reconcile by reading back instead. Reads are repeated freely.
   */
  write?: boolean;
  /** The logical call this request belongs to (sent as {@link ODOO_CALL_ID_HEADER}). */
  callId?: string | undefined;
}

/** The two wire protocols behind one `call`. */
export interface OdooRpc {
  call<T>(model: string, method: string, call: OdooCall<T>): Promise<T>;
}

/**
 * Header that carries the id of the logical call (one action call, one stream read) a request
 * belongs to: the caller's idempotency key when given, else a random UUID. Every attempt and every
 * request of the call carries the same value. Odoo ignores it: it is for correlation, not dedup.
 */
export const ODOO_CALL_ID_HEADER = 'X-Hmi-Call-Id';

const MODEL = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
const METHOD = /^[a-z][a-z0-9_]*$/;

function baseContext(config: OdooConfig): Record<string, unknown> {
  return {
    ...(config.lang && { lang: config.lang }),
    ...(config.companyId !== undefined && { allowed_company_ids: [config.companyId] }),
  };
}

/**
 * Headers and retry settings of one request. Every request of one logical call (an action or a
 * stream read) carries the same call id, for correlation in Odoo's and proxies' logs. Odoo has no
 * idempotency keys, so only reads (and writes that are harmless to repeat) are `idempotent` and
 * may be repeated by the core; a create is never repeated unless Odoo rolled it back.
 */
function requestSettings(call: { write?: boolean | undefined; callId?: string | undefined }) {
  return {
    headers: { [ODOO_CALL_ID_HEADER]: call.callId ?? randomUUID() },
    ...(!call.write && { idempotent: true }),
  };
}

/** The same RPC with every request tagged with one call id. */
export function withCallId(rpc: OdooRpc, callId: string): OdooRpc {
  return { call: (model, method, call) => rpc.call(model, method, { ...call, callId }) };
}

/**
 * Odoo 19's External JSON-2 API: `POST /json/2/<model>/<method>` with the ids, the context and
 * the named arguments as one JSON object. Errors are 4xx/5xx bodies, classified by `classifyOdooError`.
 */
export function createJson2Rpc(http: HttpClient, config: OdooConfig): OdooRpc {
  const context = baseContext(config);
  return {
    call(model, method, call) {
      if (!MODEL.test(model) || !METHOD.test(method)) throw new TypeError('invalid Odoo model or method name');
      return http.request({
        method: 'POST',
        path: `/json/2/${model}/${method}`,
        json: {
          ...(call.ids && { ids: call.ids }),
          context: { ...context, ...call.context },
          ...call.params,
        },
        ...requestSettings(call),
        schema: call.schema,
        operation: call.operation,
        ...(call.signal && { signal: call.signal }),
      });
    },
  };
}

/**
 * `execute_kw`'s `args` and `kw` for a call, in the form Odoo's External API documentation shows
 * (and every Odoo since 8 accepts): record ids first, the domain of `search*` and the values of
 * `create`/`write` positionally, everything else by name.
 */
export function toExecuteKw(
  method: string,
  ids: readonly number[] | undefined,
  params: Record<string, unknown>,
): { args: unknown[]; kwargs: Record<string, unknown> } {
  const { domain, vals_list, vals, ...rest } = params;
  const args: unknown[] = ids ? [[...ids]] : [];
  if ((method === 'search_read' || method === 'search' || method === 'search_count') && domain !== undefined) args.push(domain);
  else if (domain !== undefined) rest.domain = domain;
  if (method === 'create' && Array.isArray(vals_list)) args.push(vals_list.length === 1 ? vals_list[0] : vals_list);
  else if (vals_list !== undefined) rest.vals_list = vals_list;
  if (method === 'write' && vals !== undefined) args.push(vals);
  else if (vals !== undefined) rest.vals = vals;
  return { args, kwargs: rest };
}

/** A JSON-RPC 2.0 answer: `result`, or `error.data.name` (the Python exception's class). */
const JsonRpcEnvelope = z.object({
  result: z.unknown().optional(),
  error: z
    .object({ data: z.object({ name: z.unknown() }).partial().optional() })
    .partial()
    .optional(),
});

/**
 * Parses the JSON-RPC envelope inside the HTTP exchange: an Odoo fault arrives with status 200, so
 * it is thrown from here as a typed error, and the core's retry layer sees it like an HTTP error
 * (a serialization failure is repeated; a write's unknown outcome is flagged).
 */
function envelope<T>(schema: z.ZodType<T>, operation: string) {
  return z.unknown().transform((body): T => {
    const parsed = JsonRpcEnvelope.safeParse(body);
    if (!parsed.success) throw odooFaultToError(undefined, { status: 200, operation });
    if (parsed.data.error !== undefined) throw odooFaultToError(parsed.data.error.data?.name, { operation });
    const result = schema.safeParse(parsed.data.result);
    if (!result.success) {
      const issues = toValidationIssues(result.error);
      throw new ValidationError(`Odoo response did not match the expected schema: ${formatIssues(issues)}`, {
        code: 'invalid_response',
        issues,
        connector: 'odoo',
        operation,
      });
    }
    return result.data;
  });
}

/**
 * Odoo 16–18's JSON-RPC: `common.authenticate(db, login, key, {})` once for the uid, then
 * `object.execute_kw(db, uid, key, model, method, [ids], {…params, context})`. The uid is cached
 * per instance; a refused login is an AuthError and is not cached.
 */
export function createJsonRpc(http: HttpClient, config: OdooConfig): OdooRpc {
  const context = baseContext(config);
  const database = config.database ?? '';
  let uid: Promise<number> | undefined;
  let counter = 0;

  const send = <T>(service: string, method: string, args: unknown[], schema: z.ZodType<T>, call: Omit<OdooCall<T>, 'schema'>) => {
    counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
    return http.request({
      method: 'POST',
      path: '/jsonrpc',
      json: { jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: counter },
      ...requestSettings(call),
      schema: envelope(schema, call.operation),
      operation: call.operation,
      ...(call.signal && { signal: call.signal }),
    });
  };

  const authenticate = (signal: AbortSignal | undefined, callId: string | undefined): Promise<number> => {
    uid ??= send(
      'common',
      'authenticate',
      [database, config.login, config.apiKey, {}],
      z.union([z.number().int(), z.literal(false)]),
      {
        operation: 'authenticate',
        signal,
        callId,
      },
    )
      .then((result) => {
        if (result === false)
          throw new AuthError('Odoo refused the login and API key', { connector: 'odoo', operation: 'authenticate' });
        return result;
      })
      .catch((error: unknown) => {
        uid = undefined;
        throw error;
      });
    return uid;
  };

  return {
    async call(model, method, call) {
      if (!MODEL.test(model) || !METHOD.test(method)) throw new TypeError('invalid Odoo model or method name');
      const user = await authenticate(call.signal, call.callId);
      const { args, kwargs } = toExecuteKw(method, call.ids, call.params ?? {});
      kwargs.context = { ...context, ...call.context };
      return send('object', 'execute_kw', [database, user, config.apiKey, model, method, args, kwargs], call.schema, call);
    },
  };
}
