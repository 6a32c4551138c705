import type { WirePayment } from '../moyasar-model.js';

/**
 * A paid mada payment in the shape of Moyasar's Payment Object (docs.moyasar.com, "Payment
 * Object" and "Credit Card Source"), fictional values. A fresh copy on every call.
 */
export function moyasarPaymentFixture(overrides: Partial<WirePayment> & Record<string, unknown> = {}): WirePayment {
  return {
    id: '6f2a8a3e-3c1b-4f55-9d0a-2b7e5c9d1a01',
    status: 'paid',
    amount: 15050,
    fee: 276,
    currency: 'SAR',
    refunded: 0,
    refunded_at: null,
    captured: 15050,
    captured_at: '2025-03-01T09:15:02.120Z',
    voided_at: null,
    description: 'Outpatient visit APT-7781',
    amount_format: '150.50 SAR',
    fee_format: '2.76 SAR',
    refunded_format: '0.00 SAR',
    captured_format: '150.50 SAR',
    invoice_id: null,
    ip: '5.42.224.17',
    callback_url: 'https://crm.hospital.example/payments/return',
    created_at: '2025-03-01T09:15:00.431Z',
    updated_at: '2025-03-01T09:15:02.120Z',
    metadata: { hmi_contact_id: 'crm-contact-17', hmi_invoice_id: 'INV-2025-0042' },
    source: {
      type: 'creditcard',
      company: 'mada',
      name: 'Layla Al-Harbi',
      number: '4201-32XX-XXXX-1010',
      gateway_id: 'moyasar_cc_9YxAJLk2aUZf3Q1R',
      reference_number: '125478454231',
      token: null,
      message: 'APPROVED',
      transaction_url: null,
      response_code: '00',
      authorization_code: '123456',
      issuer_name: 'Saudi National Bank',
      issuer_country: 'SA',
      issuer_card_type: 'debit',
      issuer_card_category: 'Classic',
    },
    ...overrides,
  } as WirePayment;
}

/** Moyasar's documented error bodies (docs.moyasar.com/api/errors), by kind. */
export const MOYASAR_ERROR_BODIES = {
  authentication: { type: 'authentication_error', message: 'Invalid authorization credentials', errors: null },
  validation: (errors: Record<string, string[]>) => ({ type: 'invalid_request_error', message: 'Validation Failed', errors }),
  usedGivenId: {
    type: 'used_given_id',
    message: 'The given_id provided has been already used with a different payment.',
    errors: null,
  },
  notFound: { type: 'api_error', message: 'Object not found', errors: null },
  rateLimit: { type: 'rate_limit_error', message: 'Too many requests', errors: null },
  server: { type: 'api_error', message: 'Internal Server Error', errors: null },
  accountInactive: { type: 'account_inactive_error', message: 'Account is not activated for live payments', errors: null },
} as const;
