import { phi } from '@hmi/core';
import * as v from 'valibot';
import { AddressParam, Email, Expand, Metadata, maxString, Unset } from '../shared/params.js';
import { inCallerOrder, loose, strip } from '../shared/schema.js';

// Typed after `POST /v1/customers` (spec3 requestBody). Names, phones and emails are PHI: they go
// to Stripe and nowhere else (not to telemetry, not into errors).
const CustomerCreateShape = loose({
  email: v.optional(Email),
  name: v.optional(/* @__PURE__ */ phi(maxString(256))),
  phone: v.optional(/* @__PURE__ */ phi(maxString(20))),
  description: v.optional(maxString(5000)),
  address: v.optional(/* @__PURE__ */ phi(v.union([AddressParam, Unset]))),
  metadata: v.optional(Metadata),
  preferred_locales: v.optional(v.array(maxString(5000))),
  payment_method: v.optional(maxString(5000)),
  expand: v.optional(Expand),
});

/** Params of `createCustomer`: Stripe's own names (`email`, `name`, `phone`, `preferred_locales`, …). */
export const CustomerCreateParams: typeof CustomerCreateShape = inCallerOrder(CustomerCreateShape);
/** Params of `createCustomer`. */
export type CustomerCreateParams = v.InferInput<typeof CustomerCreateShape>;

/** Params of `findCustomerByEmail`. */
export const FindCustomerByEmailParams = strip({ email: Email });
/** Params of `findCustomerByEmail`. */
export type FindCustomerByEmailParams = v.InferInput<typeof FindCustomerByEmailParams>;
