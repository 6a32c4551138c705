import { type Payment, phi } from '@hmi/core';
import * as v from 'valibot';
import { int, strip } from '../shared/schema.js';

// The canonical Payment (`@hmi/core/schemas`' zod `Payment`) as a valibot schema, so that the
// `payments` stream checks its records without importing zod at run time. test/canonical-payment
// holds the two to the same answers on every record the connector makes.

/* @__NO_SIDE_EFFECTS__ */
function optionalString() {
  return v.optional(v.string());
}
/* @__NO_SIDE_EFFECTS__ */
function IsoDateTime() {
  return v.optional(
    v.pipe(
      v.string(),
      v.check((s: string) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date-time'),
    ),
  );
}

/** A canonical Payment (the core's model): what the `payments` stream yields. */
export const PaymentRecord = strip({
  id: v.string(),
  source: v.optional(strip({ system: v.string(), id: v.string() })),
  contactId: optionalString(),
  invoiceId: optionalString(),
  status: v.picklist([
    'pending',
    'requires_action',
    'processing',
    'succeeded',
    'failed',
    'canceled',
    'refunded',
    'partially_refunded',
    'disputed',
  ]),
  amountMinor: int(),
  currency: v.pipe(
    v.string(),
    v.length(3),
    v.transform((s: string) => s.toUpperCase()),
  ),
  refundedMinor: v.optional(int()),
  method: optionalString(),
  feeMinor: v.optional(v.pipe(int(), v.minValue(0))),
  failureCode: optionalString(),
  receiptEmail: v.optional(/* @__PURE__ */ phi(v.string())),
  createdAt: IsoDateTime(),
  updatedAt: IsoDateTime(),
});

// The two must stay the same type both ways: a field the core adds or changes fails the build here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameType: Same<v.InferOutput<typeof PaymentRecord>, Payment> = true;
void sameType;
