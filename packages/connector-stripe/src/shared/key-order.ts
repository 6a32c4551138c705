import { z } from 'zod';

/**
 * Wraps a params schema so that its output keeps the caller's key order. zod rebuilds objects in
 * the schema's order; Stripe's form encoding (and the official SDK) follow the caller's order, and
 * byte-identical bodies are easier to audit and to compare with the SDK's.
 */
export function inCallerOrder<S extends z.ZodType>(schema: S): z.ZodType<z.output<S>, z.input<S>> {
  return z.unknown().transform((raw, ctx) => {
    const result = schema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) ctx.issues.push({ ...issue, input: undefined } as never);
      return z.NEVER;
    }
    return reorder(result.data, raw) as z.output<S>;
  }) as unknown as z.ZodType<z.output<S>, z.input<S>>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function reorder(out: unknown, raw: unknown, depth = 0): unknown {
  if (depth > 20) return out;
  if (Array.isArray(out)) return Array.isArray(raw) ? out.map((v, i) => reorder(v, raw[i], depth + 1)) : out;
  if (!isPlainObject(out) || !isPlainObject(raw)) return out;
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) if (Object.hasOwn(out, key)) result[key] = reorder(out[key], raw[key], depth + 1);
  for (const key of Object.keys(out)) if (!Object.hasOwn(result, key)) result[key] = out[key];
  return result;
}
