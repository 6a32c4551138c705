// The secret and PHI marks sit where the core's walkers find them in the valibot schemas (objects'
// entries, optional/nullish wrappers, pipes, unions), so redaction names the same keys as before.
import { collectMarkedKeys } from '@hmi/core/internal';
import { describe, expect, it } from 'vitest';
import {
  CustomerCreateParams,
  PaymentIntentCreateParams,
  StripeCharge,
  StripeConfig,
  StripeCustomer,
  StripeInvoice,
  StripePaymentIntent,
} from '@hmi/connector-stripe';

const keys = (schema: object, mark: 'secret' | 'phi') => [...collectMarkedKeys(schema, mark)].sort();

describe('secret and PHI marks', () => {
  it('config: the API key and the webhook secret(s) are secrets', () => {
    expect(keys(StripeConfig, 'secret')).toEqual(['apiKey', 'webhookSecret']);
  });

  it('params: emails, names, phones and addresses are PHI', () => {
    expect(keys(CustomerCreateParams, 'phi')).toEqual(['address', 'email', 'name', 'phone']);
    expect(keys(PaymentIntentCreateParams, 'phi')).toEqual(['address', 'receipt_email']);
  });

  it('vendor objects: client secrets are secrets; emails, names, phones, descriptions PHI', () => {
    expect(keys(StripePaymentIntent, 'secret')).toEqual(['client_secret']);
    expect(keys(StripePaymentIntent, 'phi')).toEqual(['description', 'receipt_email']);
    expect(keys(StripeCharge, 'phi')).toEqual(['receipt_email']);
    expect(keys(StripeCustomer, 'phi')).toEqual(['email', 'name', 'phone']);
    expect(keys(StripeInvoice, 'phi')).toEqual(['description']);
  });
});
