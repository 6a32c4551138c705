import type { WireCharge } from '../tap-model.js';

/**
 * A captured KNET charge in the shape of Tap's charge object (developers.tap.company: "Charges",
 * "KNET" post-payment sample), fictional values. A fresh copy on every call.
 */
export function tapChargeFixture(overrides: Record<string, unknown> = {}): WireCharge {
  return {
    id: 'chg_TS05A1320231018Hy56070K001',
    object: 'charge',
    live_mode: false,
    api_version: 'V2',
    method: 'POST',
    status: 'CAPTURED',
    amount: 0.125,
    currency: 'KWD',
    threeDSecure: true,
    card_threeDSecure: false,
    save_card: false,
    merchant_id: '',
    product: 'GOSELL',
    description: 'Outpatient visit APT-7781',
    metadata: { hmi_contact_id: 'crm-contact-17' },
    transaction: {
      timezone: 'UTC+03:00',
      created: '1740819300431',
      expiry: { period: 30, type: 'MINUTE' },
      asynchronous: false,
      amount: 0.125,
      currency: 'KWD',
    },
    reference: {
      track: 'tck_TS05A1320231018Xm2z1810K001',
      payment: '1018231810K0010001',
      gateway: '123456789012',
      acquirer: '329115000010',
      transaction: 'crm-pay-9001',
      order: 'INV-2025-0042',
    },
    response: { code: '000', message: 'Captured' },
    receipt: { id: '203418231810K0010001', email: false, sms: false },
    customer: {
      first_name: 'Fahad',
      last_name: 'Al-Mutairi',
      email: 'fahad@example.kw',
      phone: { country_code: '965', number: '50000000' },
    },
    merchant: { country: 'KW', currency: 'KWD', id: '1234567' },
    source: {
      object: 'source',
      type: 'CARD_NOT_PRESENT',
      payment_type: 'DEBIT',
      payment_method: 'KNET',
      channel: 'INTERNET',
      id: 'src_kw.knet',
    },
    redirect: { status: 'SUCCESS', url: 'https://crm.hospital.example/payments/return' },
    post: { status: 'PENDING', url: 'https://crm.hospital.example/webhooks/tap' },
    ...overrides,
  } as WireCharge;
}

/** Tap's error body (`{ errors: [{ code, description }] }`), by kind. */
export const TAP_ERROR_BODIES = {
  authentication: { errors: [{ code: '2107', description: 'Authentication required' }] },
  invalidAmount: { errors: [{ code: '1108', description: 'Invalid amount' }] },
  invalidCurrency: { errors: [{ code: '1117', description: 'Invalid currency' }] },
  customerRequired: { errors: [{ code: '1105', description: 'Customer info is required' }] },
  sourceRequired: { errors: [{ code: '1118', description: 'Source is required' }] },
  redirectRequired: { errors: [{ code: '1102', description: 'Redirect url is required' }] },
  notFound: { errors: [{ code: '1140', description: 'Record not found' }] },
  notRefundable: { errors: [{ code: '1151', description: 'Charge is not refundable' }] },
  server: { errors: [{ code: '5000', description: 'Internal server error' }] },
} as const;
