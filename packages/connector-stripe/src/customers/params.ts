import { phi } from '@hmi/core';
import { z } from 'zod';
import { inCallerOrder } from '../shared/key-order.js';
import { AddressParam, Email, Expand, Metadata } from '../shared/params.js';

// Typed after `POST /v1/customers` (spec3 requestBody). Names, phones and emails are PHI: they go
// to Stripe and nowhere else (not to telemetry, not into errors).
const CustomerCreateShape = z.looseObject({
  email: Email.optional(),
  name: phi(z.string().max(256)).optional(),
  phone: phi(z.string().max(20)).optional(),
  description: z.string().max(5000).optional(),
  address: z.union([AddressParam, z.literal('')]).optional(),
  metadata: Metadata.optional(),
  preferred_locales: z.array(z.string().max(5000)).optional(),
  payment_method: z.string().max(5000).optional(),
  expand: Expand.optional(),
});

/** Params of `createCustomer`: Stripe's own names (`email`, `name`, `phone`, `preferred_locales`, …). */
export const CustomerCreateParams: z.ZodType<
  z.output<typeof CustomerCreateShape>,
  z.input<typeof CustomerCreateShape>
> = inCallerOrder(CustomerCreateShape);
/** Params of `createCustomer`. */
export type CustomerCreateParams = z.input<typeof CustomerCreateShape>;

/** Params of `findCustomerByEmail`. */
export const FindCustomerByEmailParams = z.object({ email: Email });
/** Params of `findCustomerByEmail`. */
export type FindCustomerByEmailParams = z.input<typeof FindCustomerByEmailParams>;
