// The connector contract every hmi connector passes. Moyasar publishes no OpenAPI description, so
// the requests are answered by the package's own fake, written from Moyasar's documentation.
import { runConnectorContract } from '@hmi/testing/vitest';
import { http } from 'msw';
import { moyasarConnector } from '../src/index.js';
import { createFakeMoyasarApi } from '../src/msw/index.js';

const baseUrl = 'https://api.moyasar.test';
// Canaries: the secret key, and a patient's mobile (the STC Pay source).
const secretKey = 'sk_test_CANARYmoyasar9d41e7a2';
const mobile = '+966555123456';

const fake = createFakeMoyasarApi({ baseUrl, secretKey });
const paid = fake.state.addPayment({ id: '0b7c2a51-8d3e-4c1a-9f00-5a1e2d3c4b01' });
const toVoid = fake.state.addPayment({ id: '0b7c2a51-8d3e-4c1a-9f00-5a1e2d3c4b02' });
const toCapture = fake.state.addPayment({ id: '0b7c2a51-8d3e-4c1a-9f00-5a1e2d3c4b03', status: 'authorized', captured: 0 });
const invoiceIdHolder: { id?: string } = {};

// Void and capture change state once; the contract calls each action several times, so a
// pass-through handler puts the payment back before the fake answers.
const reset = [
  http.post(`${baseUrl}/v1/payments/${toVoid.id}/void`, () => {
    Object.assign(fake.state.payments.get(toVoid.id)!, { status: 'paid' });
  }),
  http.post(`${baseUrl}/v1/payments/${toCapture.id}/capture`, () => {
    Object.assign(fake.state.payments.get(toCapture.id)!, { status: 'authorized', captured: 0 });
  }),
];
const handlers = [...reset, ...fake.handlers];

const invoiceInput = {
  amountMinor: 30000,
  description: 'Dental cleaning — APT-7790',
  contactId: 'crm-contact-17',
  invoiceId: 'INV-2025-0043',
};

runConnectorContract(moyasarConnector, {
  baseUrl,
  config: (url) => ({ secretKey, baseUrl: url, webhookSecret: 'whsec_moyasar_contract_01' }),
  invalidConfigs: [
    { name: 'secretKey missing', config: (url) => ({ baseUrl: url }), field: 'secretKey' },
    {
      name: 'a publishable key instead of the secret key',
      config: (url) => ({ secretKey: 'pk_test_CANARYmoyasar9d41e7a2', baseUrl: url }),
      field: 'secretKey',
    },
    { name: 'baseUrl not a URL', config: () => ({ secretKey, baseUrl: 'not a url' }), field: 'baseUrl' },
  ],
  canaries: { secret: secretKey, phi: [mobile] },
  actions: {
    createPayment: {
      input: {
        amountMinor: 15050,
        currency: 'SAR',
        description: 'Outpatient visit APT-7781',
        source: { type: 'stcpay', mobile },
        contactId: 'crm-contact-17',
      },
      invalidInputs: [
        { amountMinor: 99, source: { type: 'stcpay', mobile } },
        { amountMinor: 15050, source: { type: 'creditcard', number: '4111111111111111', cvc: '123', month: 1, year: 2030 } },
        { amountMinor: 15050, source: { type: 'stcpay', mobile: '+201001234567' } },
        { amountMinor: 15050, source: { type: 'token', token: 'token_abcdefgh12345' } },
        { amountMinor: 15050, description: 'Follow-up for E11.9', source: { type: 'stcpay', mobile } },
        { amountMinor: 15050, source: { type: 'stcpay', mobile }, metadata: { patient_name: 'ليلى الحربي' } },
      ],
      handlers,
      expectOutput: (output) => {
        const p = output as { status: string; method: string; contactId: string; amountMinor: number; transactionUrl?: string };
        if (p.method !== 'stcpay' || p.status !== 'requires_action' || p.amountMinor !== 15050 || !p.transactionUrl) {
          throw new Error('createPayment returned the wrong payment');
        }
      },
    },
    fetchPayment: { input: { id: paid.id }, invalidInputs: [{}, { id: 'pay_123' }], handlers },
    listPayments: {
      input: { status: 'paid', contactId: 'crm-contact-17' },
      invalidInputs: [{ page: 0 }, { status: 'settled' }, { createdAfter: 'yesterday' }],
      handlers,
    },
    refundPayment: {
      input: { id: paid.id, amountMinor: 100 },
      invalidInputs: [{ id: paid.id, amountMinor: -5 }, { id: 'x' }],
      handlers,
    },
    capturePayment: { input: { id: toCapture.id }, invalidInputs: [{ id: toCapture.id, amountMinor: 1.5 }], handlers },
    voidPayment: { input: { id: toVoid.id }, invalidInputs: [{ id: 42 }], handlers },
    createInvoice: {
      input: invoiceInput,
      invalidInputs: [
        { ...invoiceInput, amountMinor: 50 },
        { ...invoiceInput, description: '' },
        { ...invoiceInput, description: 'Asthma review J45.909' },
      ],
      handlers,
      expectOutput: (output) => {
        const invoice = output as { id: string; url: string; invoiceId?: string };
        invoiceIdHolder.id = invoice.id;
        if (!invoice.url.startsWith('https://') || invoice.invoiceId !== 'INV-2025-0043') throw new Error('wrong invoice');
      },
    },
    fetchInvoice: {
      input: { id: '5d1e3c2b-1a09-4f7e-8d6c-5b4a39281706' },
      invalidInputs: [{ id: 'inv_1' }],
      handlers: [
        http.get(`${baseUrl}/v1/invoices/5d1e3c2b-1a09-4f7e-8d6c-5b4a39281706`, () => {
          if (!fake.state.invoices.has('5d1e3c2b-1a09-4f7e-8d6c-5b4a39281706')) {
            fake.state.invoices.set('5d1e3c2b-1a09-4f7e-8d6c-5b4a39281706', {
              id: '5d1e3c2b-1a09-4f7e-8d6c-5b4a39281706',
              status: 'paid',
              amount: 30000,
              currency: 'SAR',
              url: 'https://checkout.moyasar.com/invoices/5d1e3c2b-1a09-4f7e-8d6c-5b4a39281706',
              created_at: '2025-03-01T08:00:00.000Z',
              updated_at: '2025-03-01T09:00:00.000Z',
              metadata: null,
              payments: [fake.state.payments.get(paid.id)!],
            });
          }
        }),
        ...handlers,
      ],
    },
    listInvoices: { input: { status: 'initiated' }, invalidInputs: [{ status: 'open' }], handlers },
  },
});
