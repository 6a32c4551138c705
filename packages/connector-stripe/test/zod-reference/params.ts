// The connector's zod schemas as they were before issue 22 moved them to valibot (commit 964988a),
// kept as the reference the valibot schemas are compared with (test/schema-differential.test.ts):
// same inputs accepted and refused, same outputs. Test-only; nothing in src imports this.
import { phi } from '@hmi/core';
import { z } from 'zod';
import { isChargeableStripeAmount, stripeAmountStep } from '../../src/shared/amounts.js';

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

/** Stripe's "empty string unsets this field". */
export const Unset = z.literal('');

/** A metadata key: at most 40 characters, no square brackets (they would break the form encoding). */
const MetadataKey = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[^[\]]+$/, 'must not contain square brackets');

/**
 * Stripe metadata: up to 50 keys, values up to 500 characters. A null or empty value unsets that
 * key; `''` for the whole object unsets all of them. Never put patient data here: it is shown in the
 * Dashboard and sent in webhooks.
 */
export const Metadata = z.union([
  z
    .record(MetadataKey, z.union([z.string().max(500), z.number(), z.null()]))
    .refine((m) => Object.keys(m).length <= 50, 'at most 50 metadata keys'),
  Unset,
]);

/** Fields of the response to expand (`latest_charge`, `customer`). */
export const Expand = z.array(z.string().min(1).max(5000)).max(50);

/** A three-letter ISO 4217 currency code; Stripe documents lowercase and is sent what you give. */
export const Currency = z.string().regex(/^[A-Za-z]{3}$/, 'expected a three-letter ISO 4217 currency code');

/** An amount in Stripe's smallest currency unit. */
export const Amount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** An email address (PHI). */
export const Email = phi(
  z
    .string()
    .min(3)
    .max(512)
    .regex(/^[^\s@]+@[^\s@]+$/, 'expected an email address'),
);

/** Builds a Stripe object id schema (`pi_…`, `cus_…`): safe to put in a URL path. */
export function stripeId(prefixes: readonly string[]) {
  const pattern = new RegExp(`^(?:${prefixes.join('|')})_[A-Za-z0-9_]{1,250}$`);
  return z.string().regex(pattern, `expected a Stripe id starting with ${prefixes.map((p) => `${p}_`).join(' or ')}`);
}

/** A customer id. */
export const CustomerId = stripeId(['cus']);
/** A PaymentIntent id. */
export const PaymentIntentId = stripeId(['pi']);

/** An address as Stripe takes it (PHI). */
export const AddressParam = phi(
  z.looseObject({
    city: z.string().max(5000).optional(),
    country: z.string().max(5000).optional(),
    line1: z.string().max(5000).optional(),
    line2: z.string().max(5000).optional(),
    postal_code: z.string().max(5000).optional(),
    state: z.string().max(5000).optional(),
  }),
);

/** A refinement: `amount` must be chargeable in `currency` (KWD multiples of 10, ISK of 100). */
export function checkChargeable(
  ctx: z.RefinementCtx,
  amount: number | undefined,
  currency: string | undefined,
  path: PropertyKey[],
) {
  if (amount === undefined || currency === undefined) return;
  if (!isChargeableStripeAmount(amount, currency)) {
    ctx.addIssue({
      code: 'custom',
      path: path as (string | number)[],
      message: `Stripe requires ${currency.toUpperCase()} amounts to be a multiple of ${stripeAmountStep(currency)}`,
    });
  }
}
