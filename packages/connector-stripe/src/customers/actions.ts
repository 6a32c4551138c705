import * as v from 'valibot';
import { stripeKit } from '../stripe-context.js';
import type { ActionDefinition } from '@hmi/core';
import { StripeCustomer, stripeList } from '../shared/objects.js';
import { type StripeContext, getJson, postForm } from '../stripe-context.js';
import { CustomerCreateParams, FindCustomerByEmailParams } from './params.js';

/** `POST /v1/customers`. */
export const createCustomer: ActionDefinition<StripeContext, typeof CustomerCreateParams, typeof StripeCustomer> =
  /* @__PURE__ */ stripeKit.action({
    description: 'Creates a Customer (POST /v1/customers).',
    idempotent: false,
    input: CustomerCreateParams,
    output: StripeCustomer,
    run: (params, ctx: StripeContext, call) => postForm(ctx, '/v1/customers', params, StripeCustomer, call),
  });

const CustomerList = stripeList(StripeCustomer);
const NullableCustomer = v.nullable(StripeCustomer);

/**
 * Finds the newest customer with exactly this email (`GET /v1/customers?email=…`), or null.
 * The list filter is used rather than the search API because it is read-your-writes consistent (a
 * customer created a second ago is found; search lags up to a minute). Stripe matches it
 * case-sensitively, so store emails normalised.
 */
export const findCustomerByEmail: ActionDefinition<StripeContext, typeof FindCustomerByEmailParams, typeof NullableCustomer> =
  /* @__PURE__ */ stripeKit.action({
    description: 'Finds the newest Customer with an exact email (GET /v1/customers?email=…).',
    idempotent: true,
    input: FindCustomerByEmailParams,
    output: NullableCustomer,
    run: async ({ email }, ctx: StripeContext, call) => {
      const page = await getJson(ctx, '/v1/customers', { email, limit: 1 }, CustomerList, call.operation, call.signal);
      return page.data[0] ?? null;
    },
  });
