import { type ActionCall, type HttpClient, ValidationError, connectorKit } from '@hmi/core';
import type * as v from 'valibot';
import { encodeStripeForm } from './shared/form-encoding.js';

/** What every Stripe action and stream receives: the configured client and resolved settings. */
export interface StripeContext {
  http: HttpClient;
  webhookSecrets: readonly string[];
}

const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' } as const;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * POSTs a Stripe form body. Every POST carries an Idempotency-Key: the caller's, else the one the
 * connector contract generated for this call, else a fresh one. The core sends the same key on
 * every retry, so Stripe performs the side effect once.
 */
export function postForm<T>(
  ctx: StripeContext,
  path: string,
  params: Record<string, unknown>,
  schema: v.GenericSchema<unknown, T>,
  call: ActionCall,
): Promise<T> {
  const idempotencyKey = call.idempotencyKey ?? globalThis.crypto.randomUUID();
  if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new ValidationError('idempotencyKey must be 1 to 255 printable ASCII characters without spaces', {
      issues: [{ path: ['idempotencyKey'], code: 'invalid_format', message: 'expected 1 to 255 printable ASCII characters' }],
    });
  }
  return ctx.http.request({
    method: 'POST',
    path,
    body: encodeStripeForm(params),
    headers: FORM_HEADERS,
    idempotencyKey,
    schema,
    operation: call.operation,
    signal: call.signal,
  });
}

/** GETs a Stripe resource; the query is encoded as the SDK does (`created[gte]=…&expand[0]=…`). */
export function getJson<T>(
  ctx: StripeContext,
  path: string,
  query: Record<string, unknown> | undefined,
  schema: v.GenericSchema<unknown, T>,
  operation: string,
  signal: AbortSignal | undefined,
): Promise<T> {
  const qs = query ? encodeStripeForm(query) : '';
  return ctx.http.request({ method: 'GET', path: qs ? `${path}?${qs}` : path, schema, operation, signal });
}

/** Removes `keys` from a params object without disturbing the order of the others. */
export function omitKeys<T extends Record<string, unknown>, K extends keyof T>(params: T, ...keys: K[]): Omit<T, K> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(params)) if (!keys.includes(key as K)) out[key] = params[key];
  return out as Omit<T, K>;
}

/**
 * `action`, `stream` and `webhook` bound to {@link StripeContext}, so no action, stream or webhook
 * of this connector repeats its context type.
 */
export const stripeKit = /* @__PURE__ */ connectorKit<StripeContext>();
