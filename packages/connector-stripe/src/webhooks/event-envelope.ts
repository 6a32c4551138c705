import { ValidationError, formatIssues } from '@hmi/core';
import { StripeEvent } from '../shared/objects.js';
import { runSchema } from '@hmi/core/internal';

/** A plain object (JSON's kind): not null, not an array, not a class instance, no symbol keys. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && Object.getOwnPropertySymbols(value).length === 0;
}

/** An object as JSON.parse makes them: plain by construction, so the prototype and symbols need no look. */
function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when `value` passes the {@link StripeEvent} schema, checked in place: the envelope's few
 * fields only, without the schema's copy of the event and of `data.object` (a copy of every key of a 2 KB
 * event costs more than its HMAC). Never true for a value the schema refuses; a value it is false
 * for goes to the schema, which names what is wrong (see {@link readStripeEvent}).
 */
export function isStripeEventShape(value: unknown, fromJsonParse = false): value is StripeEvent {
  const isObject = fromJsonParse ? isJsonObject : isPlainRecord;
  if (!isObject(value)) return false;
  const { id, type, object, api_version: apiVersion, created, livemode, data } = value;
  if (typeof id !== 'string' || id.length === 0 || typeof type !== 'string' || type.length === 0) return false;
  if (object !== undefined && object !== 'event') return false;
  if (apiVersion !== undefined && apiVersion !== null && typeof apiVersion !== 'string') return false;
  // The schema's number refuses NaN and ±Infinity (JSON.parse reads 1e999 as Infinity).
  if (created !== undefined && !(typeof created === 'number' && Number.isFinite(created))) return false;
  if (livemode !== undefined && typeof livemode !== 'boolean') return false;
  if (data === undefined) return true;
  return isObject(data) && isObject(data.object);
}

/**
 * `value`, a result of JSON.parse, as a StripeEvent: the value itself (never a copy: an own `__proto__` key stays data),
 * or a ValidationError naming the paths the schema refuses (never their values).
 */
export function readStripeEvent(value: unknown, message: string, operation: string): StripeEvent {
  if (isStripeEventShape(value, true)) return value;
  // The slow path names the problem; it also accepts what the quick check is too strict for.
  const result = runSchema(StripeEvent, value);
  if (result.ok) return value as StripeEvent;
  const issues = result.issues;
  throw new ValidationError(`${message}: ${formatIssues(issues)}`, {
    code: 'invalid_webhook_payload',
    issues,
    connector: 'stripe',
    operation,
  });
}
