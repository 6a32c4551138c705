import * as v from 'valibot';

// Small valibot building blocks that keep what the connector's zod schemas accepted and refused
// (issue 22 moved them to valibot: zod alone cost ~100 ms of import and most of the bundle). Where
// the two libraries differ on the same words, these side with zod's behaviour:
// - zod's objects refuse arrays and its records take plain objects only; valibot's take any object;
// - zod's `.int()` means a safe integer and its `number()` refuses ±Infinity;
// - zod's `.url()` checks the trimmed string and outputs it trimmed, tabs and newlines removed.
// Each builder is marked `@__NO_SIDE_EFFECTS__` (it changes only the schema it makes), so a bundle
// that never uses a schema drops it (tsup.config.ts marks valibot's own calls the same way).

type AnySchema = v.GenericSchema;
type Run = AnySchema['~run'];
type Dataset = ReturnType<Run>;
type Config = Parameters<Run>[1];

// valibot never copies these own keys of an object (its guard against prototype pollution); zod
// did, and a metadata key may be called `constructor`. Copied back as own data properties.
const SKIPPED_KEYS = ['constructor', 'prototype'] as const;

/**
 * Replaces a schema's `~run` in place (`~standard.validate` and every parent call `~run` by name):
 * inputs `accepts` refuses are a type issue; `restore` may add back what valibot skipped.
 */
function guard<S extends AnySchema>(
  schema: S,
  accepts: (value: unknown) => boolean,
  restore: (schema: S, input: Record<string, unknown>, out: Dataset, config: Config) => void,
): S {
  const run: Run = schema['~run'];
  (schema as { '~run': Run })['~run'] = function (this: S, dataset, config) {
    const input = dataset.value;
    if (!accepts(input)) {
      v._addIssue(this, 'type', dataset, config);
      return dataset as never;
    }
    const out = run.call(this, dataset, config);
    if (input === null || typeof input !== 'object') return out;
    for (const key of SKIPPED_KEYS) {
      if (Object.hasOwn(input, key)) {
        restore(this, input as Record<string, unknown>, out, config);
        break;
      }
    }
    return out;
  };
  return schema;
}

/** Sets an own data property, also for a key (`constructor`) an assignment would not make own data. */
function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Appends `input`'s own keys that `keep` selects again, in `input`'s order, with their output
 * values (`extra` for the keys valibot skipped): zod kept every key in the caller's order.
 */
function inInputOrder(
  out: Dataset,
  input: Record<string, unknown>,
  keep: (key: string) => boolean,
  extra: Record<string, unknown>,
): void {
  const value = out.value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (key === '__proto__' || !keep(key)) continue;
    const item = Object.hasOwn(extra, key) ? extra[key] : value[key];
    if (!Object.hasOwn(extra, key) && !Object.hasOwn(value, key)) continue;
    delete value[key];
    setOwn(value, key, item);
  }
}

/** A loose object passes unknown keys through unchecked; `constructor` and `prototype` too. */
function restoreUnknown(schema: { entries: v.ObjectEntries }, input: Record<string, unknown>, out: Dataset): void {
  if (!out.value || typeof out.value !== 'object') return;
  const extra: Record<string, unknown> = {};
  for (const key of SKIPPED_KEYS)
    if (Object.hasOwn(input, key) && !Object.hasOwn(schema.entries, key)) setOwn(extra, key, input[key]);
  inInputOrder(out, input, (key) => !Object.hasOwn(schema.entries, key), extra);
}

/** A record checks every key and value; `constructor` and `prototype` too. */
function restoreEntries(
  schema: { key: AnySchema; value: AnySchema },
  input: Record<string, unknown>,
  out: Dataset,
  config: Config,
): void {
  const extra: Record<string, unknown> = {};
  for (const key of SKIPPED_KEYS) {
    if (!Object.hasOwn(input, key)) continue;
    const keyResult = schema.key['~run']({ value: key }, config);
    const valueResult = schema.value['~run']({ value: input[key] }, config);
    const issues = [...(keyResult.issues ?? []), ...(valueResult.issues ?? [])];
    for (const issue of issues) {
      const origin = keyResult.issues?.includes(issue) ? 'key' : 'value';
      const item = { type: 'object', origin, input, key, value: input[key] } as const;
      (issue as { path?: unknown[] }).path = [item, ...((issue as { path?: unknown[] }).path ?? [])];
      out.typed = false;
      ((out as { issues?: unknown[] }).issues ??= []).push(issue);
    }
    if (issues.length === 0) setOwn(extra, key, valueResult.value);
  }
  if (out.value && typeof out.value === 'object') inInputOrder(out, input, () => true, extra);
}

const notArray = (value: unknown) => !Array.isArray(value);

/** zod's test for a record: a plain object or one without a prototype (no array, Date, Map, class instance). */
function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const ctor = (value as { constructor?: unknown }).constructor;
  if (ctor === undefined || typeof ctor !== 'function') return true;
  const proto: unknown = ctor.prototype;
  return typeof proto === 'object' && proto !== null && Object.hasOwn(proto, 'isPrototypeOf');
}

/** An object that keeps unknown keys (Stripe's objects, loose params); never an array. */
/* @__NO_SIDE_EFFECTS__ */
export function loose<const E extends v.ObjectEntries>(entries: E): v.LooseObjectSchema<E, undefined> {
  return guard(v.looseObject(entries), notArray, restoreUnknown);
}

/** An object that drops unknown keys; never an array. */
/* @__NO_SIDE_EFFECTS__ */
export function strip<const E extends v.ObjectEntries>(entries: E): v.ObjectSchema<E, undefined> {
  return guard(v.object(entries), notArray, () => {});
}

/** A record of a plain object's own keys. */
/* @__NO_SIDE_EFFECTS__ */
export function record<K extends v.GenericSchema<string, string | number | symbol>, V extends AnySchema>(
  key: K,
  value: V,
): v.RecordSchema<K, V, undefined> {
  return guard(v.record(key, value), isPlainObject, restoreEntries);
}

/** A safe integer (zod's `.int()`). */
/* @__NO_SIDE_EFFECTS__ */
export function int(): v.SchemaWithPipe<readonly [v.NumberSchema<undefined>, v.SafeIntegerAction<number, undefined>]> {
  return v.pipe(v.number(), v.safeInteger());
}

/** A finite number (zod's `number()`). */
/* @__NO_SIDE_EFFECTS__ */
export function finite(): v.SchemaWithPipe<readonly [v.NumberSchema<undefined>, v.FiniteAction<number, undefined>]> {
  return v.pipe(v.number(), v.finite());
}

const TAB_OR_NEWLINE = /[\t\n\r]/g;

/** An absolute URL of at most `max` characters, output trimmed without tabs or newlines (zod's `.url().max()`). */
/* @__NO_SIDE_EFFECTS__ */
export function url(max?: number) {
  return v.pipe(
    v.string(),
    v.check((s: string) => URL.canParse(s.trim()), 'expected a URL'),
    v.transform((s: string) => s.trim().replace(TAB_OR_NEWLINE, '')),
    v.maxLength(max ?? Number.MAX_SAFE_INTEGER),
  );
}

/**
 * Wraps a params schema so that its output keeps the caller's key order. valibot rebuilds objects
 * in the schema's order; Stripe's form encoding (and the official SDK) follow the caller's order,
 * and byte-identical bodies are easier to audit and to compare with the SDK's. The schema object is
 * kept (its `entries` and marks stay visible to the core), only its run is wrapped.
 */
/* @__NO_SIDE_EFFECTS__ */
export function inCallerOrder<S extends AnySchema>(schema: S): S {
  const run: Run = schema['~run'];
  (schema as { '~run': Run })['~run'] = function (this: S, dataset, config) {
    const raw = dataset.value;
    const out = run.call(this, dataset, config);
    if (out.typed && !out.issues) (out as { value: unknown }).value = reorder(out.value, raw);
    return out;
  };
  return schema;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function reorder(out: unknown, raw: unknown, depth = 0): unknown {
  if (depth > 20) return out;
  if (Array.isArray(out)) return Array.isArray(raw) ? out.map((x, i) => reorder(x, raw[i], depth + 1)) : out;
  if (!isPlainRecord(out) || !isPlainRecord(raw)) return out;
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) if (Object.hasOwn(out, key)) result[key] = reorder(out[key], raw[key], depth + 1);
  for (const key of Object.keys(out)) if (!Object.hasOwn(result, key)) result[key] = out[key];
  return result;
}

/** A rule of {@link refine}: the key to report and why, or undefined when the object passes. */
export type Rule<T> = (value: T) => readonly [key: string, message: string] | undefined;

/**
 * zod's `superRefine` on an object: each rule may report one issue at one key. Rules run only on
 * an object whose fields have the right types, as zod's refinements did.
 */
/* @__NO_SIDE_EFFECTS__ */
export function refine<T extends Record<string, unknown>>(...rules: Rule<T>[]): v.RawCheckAction<T> {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const input = dataset.value;
    for (const rule of rules) {
      const hit = rule(input);
      if (hit)
        addIssue({ message: hit[1], path: [{ type: 'object', origin: 'value', input, key: hit[0], value: input[hit[0]] }] });
    }
  });
}
