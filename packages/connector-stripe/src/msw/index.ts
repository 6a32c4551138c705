/**
 * MSW handlers and hand-written fixtures for `@hmi/connector-stripe`, for host apps' tests:
 * `setupServer(...createStripeMswHandlers().handlers)`.
 * @packageDocumentation
 */
export {
  createStripeMswHandlers,
  createStripeMockStore,
  type StripeMockStore,
  type StripeMswOptions,
} from './handlers.js';
export {
  fakeStripeId,
  paymentIntentFixture,
  chargeFixture,
  refundFixture,
  checkoutSessionFixture,
  customerFixture,
  disputeFixture,
  invoiceFixture,
  eventFixture,
  stripeErrorBody,
} from './fixtures.js';
