// The connector contract every hmi connector passes. Tap publishes no OpenAPI description, so the
// requests are answered by the package's own fake, written from Tap's documentation.
import { runConnectorContract } from '@hmi/testing/vitest';
import { http } from 'msw';
import { tapConnector } from '../src/index.js';
import { createFakeTapApi } from '../src/msw/index.js';

const baseUrl = 'https://api.tap.test';
// Canaries: the secret key, and a patient's Arabic name and email (the charge's customer).
const secretKey = 'sk_test_CANARYtap51x9d41e7a2';
const name = 'فهد المطيري';
const email = 'fahad.canary@example.kw';

const fake = createFakeTapApi({ baseUrl, secretKey });
const captured = fake.state.addCharge({ amount: 10, currency: 'KWD' });
const authorized = fake.state.addCharge({
  id: 'auth_TS07A0001',
  object: 'authorize',
  status: 'AUTHORIZED',
  amount: 25.5,
  currency: 'SAR',
});
fake.state.refunds.set('re_TS05A0001', {
  id: 're_TS05A0001',
  object: 'refund',
  amount: 0.125,
  currency: 'KWD',
  created: '1740819400000',
  status: 'REFUNDED',
  charge_id: captured.id,
  reason: 'requested_by_customer',
  reference: { merchant: 'crm-refund-1' },
});

// Void changes state once; the contract calls it several times, so a pass-through handler puts
// the authorization back before the fake answers.
const handlers = [
  http.post(`${baseUrl}/v2/authorize/${authorized.id}/void`, () => {
    Object.assign(fake.state.charges.get(authorized.id)!, { status: 'AUTHORIZED' });
  }),
  ...fake.handlers,
];

const charge = {
  amountMinor: 125,
  currency: 'KWD',
  sourceId: 'src_kw.knet',
  customer: { firstName: name, email },
  redirectUrl: 'https://crm.hospital.example/payments/return',
  description: 'Outpatient visit APT-7781',
  contactId: 'crm-contact-17',
  invoiceId: 'INV-2025-0042',
  transactionRef: 'crm-pay-9001',
};

runConnectorContract(tapConnector, {
  baseUrl,
  config: (url) => ({ secretKey, baseUrl: url }),
  invalidConfigs: [
    { name: 'secretKey missing', config: (url) => ({ baseUrl: url }), field: 'secretKey' },
    {
      name: 'a publishable key',
      config: (url) => ({ secretKey: 'pk_test_CANARYtap51x9d41e7a2', baseUrl: url }),
      field: 'secretKey',
    },
    { name: 'pageSize above Tap’s limit', config: (url) => ({ secretKey, baseUrl: url, pageSize: 500 }), field: 'pageSize' },
  ],
  canaries: { secret: secretKey, phi: [name, email] },
  actions: {
    createCharge: {
      input: charge,
      invalidInputs: [
        { ...charge, amountMinor: 0.5 },
        { ...charge, currency: 'SAR' }, // KNET takes KWD only
        { ...charge, sourceId: '4111111111111111' },
        { ...charge, customer: {} },
        { ...charge, description: 'Asthma review J45.909' },
        { ...charge, redirectUrl: undefined },
      ],
      handlers,
      expectOutput: (output) => {
        const p = output as {
          amountMinor: number;
          currency: string;
          method: string;
          status: string;
          invoiceId: string;
          transactionRef: string;
        };
        if (p.amountMinor !== 125 || p.currency !== 'KWD' || p.method !== 'knet' || p.status !== 'requires_action')
          throw new Error('wrong charge');
        if (p.invoiceId !== 'INV-2025-0042' || p.transactionRef !== 'crm-pay-9001') throw new Error('CRM references lost');
      },
    },
    retrieveCharge: { input: { id: captured.id }, invalidInputs: [{ id: 'ch_1' }, {}], handlers },
    createAuthorize: {
      input: { ...charge, amountMinor: 15050, currency: 'SAR', sourceId: 'tok_ABCDEF123456', threeDSecure: false },
      invalidInputs: [{ ...charge, amountMinor: -1 }],
      handlers,
    },
    retrieveAuthorize: { input: { id: authorized.id }, invalidInputs: [{ id: captured.id }], handlers },
    voidAuthorize: { input: { id: authorized.id }, invalidInputs: [{ id: 'chg_x' }], handlers },
    createRefund: {
      input: { chargeId: captured.id, amountMinor: 125, currency: 'KWD', refundRef: 'crm-refund-2' },
      invalidInputs: [
        { chargeId: captured.id, amountMinor: 0, currency: 'KWD' },
        { chargeId: 're_1', amountMinor: 1, currency: 'KWD' },
      ],
      handlers,
      expectOutput: (output) => {
        if ((output as { amountMinor: number }).amountMinor !== 125) throw new Error('refund amount is not 0.125 KWD');
      },
    },
    retrieveRefund: { input: { id: 're_TS05A0001' }, invalidInputs: [{ id: 'refund-1' }], handlers },
  },
});
