// The connector contract every hmi connector passes, checked against Stripe's own OpenAPI
// description (read through findSpecsDir, so HMI_SPECS_DIR works).
import { runConnectorContract } from '@hmi/testing/vitest';
import { HttpResponse, http } from 'msw';
import { stripeConnector } from '@hmi/connector-stripe';
import { createStripeMswHandlers, createStripeMockStore, paymentIntentFixture } from '@hmi/connector-stripe/msw';
import { stripeSpec } from './stripe-spec.js';

const apiKey = 'sk_test_CONTRACT_CANARY_7c1d2e3f';
const baseUrl = 'https://api.stripe.com';
const email = 'zarqa.canary.8812@patients.example';
const name = 'زرقاء الكناري';
const store = createStripeMockStore();
store.paymentIntents.set(
  'pi_contract_1',
  paymentIntentFixture({ id: 'pi_contract_1', status: 'requires_payment_method' }) as never,
);
const { handlers } = createStripeMswHandlers({ baseUrl, store, now: () => 1_767_225_600 });
// The contract cancels more than once; Stripe refuses a second cancel of the same intent, so this
// route answers each cancel as Stripe answers the first.
const cancelOnce = [
  http.post(`${baseUrl}/v1/payment_intents/:id/cancel`, ({ params }) =>
    HttpResponse.json(
      paymentIntentFixture({
        id: params.id,
        status: 'canceled',
        canceled_at: 1_767_225_600,
        cancellation_reason: 'requested_by_customer',
      }),
      { headers: { 'request-id': 'req_contract_cancel' } },
    ),
  ),
];

runConnectorContract(stripeConnector, {
  baseUrl,
  config: (url) => ({ apiKey, baseUrl: url }),
  invalidConfigs: [
    { name: 'apiKey missing', config: (url) => ({ baseUrl: url }), field: 'apiKey' },
    { name: 'apiKey with whitespace', config: (url) => ({ apiKey: `${apiKey} x`, baseUrl: url }), field: 'apiKey' },
    { name: 'baseUrl not a URL', config: () => ({ apiKey, baseUrl: 'not a url' }), field: 'baseUrl' },
  ],
  canaries: { secret: apiKey, phi: [email, name] },
  spec: stripeSpec,
  actions: {
    createPaymentIntent: {
      input: { amount: 15_050, currency: 'sar', receipt_email: email, description: name },
      invalidInputs: [
        { currency: 'sar' },
        { amount: 'lots', currency: 'sar' },
        { amount: 100, currency: 'sar', receipt_email: 'x' },
      ],
      handlers,
    },
    retrievePaymentIntent: {
      input: 'pi_contract_1',
      invalidInputs: [{}, 'not-an-id', { id: 42 }],
      handlers,
    },
    cancelPaymentIntent: {
      input: { id: 'pi_contract_1', cancellation_reason: 'requested_by_customer' },
      invalidInputs: [{}, { id: 'pi_contract_1', cancellation_reason: 'bored' }],
      handlers: cancelOnce,
    },
    createCheckoutSession: {
      input: {
        mode: 'payment',
        success_url: 'https://hospital.example/paid',
        customer_email: email,
        line_items: [{ price_data: { currency: 'sar', unit_amount: 50_000, product_data: { name: 'استشارة' } }, quantity: 1 }],
      },
      invalidInputs: [{ mode: 'payment' }, { mode: 'barter', success_url: 'https://h.example/x', line_items: [] }],
      handlers,
    },
    createRefund: {
      input: { payment_intent: 'pi_contract_1', amount: 1_000, metadata: { note: 'x' } },
      invalidInputs: [{ amount: 'some' }, { payment_intent: 'pi_contract_1', reason: 'because' }],
      handlers,
    },
    createCustomer: {
      input: { email, name, phone: '+966555123456' },
      invalidInputs: [{ email: 'not an email' }, { email, metadata: 'x' }],
      handlers,
    },
    findCustomerByEmail: {
      input: { email },
      invalidInputs: [{}, { email: 'nope' }],
      handlers,
    },
  },
});
