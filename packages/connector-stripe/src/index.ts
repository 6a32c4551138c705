/**
 * `@hmi/connector-stripe`: Stripe payments for hmi — PaymentIntents, Checkout, refunds, customers,
 * a resumable `payments` stream, and webhooks verified over raw bytes and mapped to canonical
 * Payment and Invoice records.
 * @packageDocumentation
 */
export {
  createStripeConnector,
  stripeConnector,
  STRIPE_CONNECTOR_VERSION,
  type StripeConnector,
  type StripeConnectorInstance,
  type StripeActions,
  type StripeStreams,
  type StripeWebhooks,
} from './stripe-connector.js';
export { STRIPE_API_VERSION, STRIPE_DEFAULT_BASE_URL, StripeConfig, type StripeConfigInput } from './stripe-config.js';
export { classifyStripeError, StripeApiError, type StripeErrorType } from './stripe-error.js';
export {
  PaymentIntentCreateParams,
  PaymentIntentRetrieveParams,
  PaymentIntentCancelParams,
} from './payment-intents/params.js';
export { CheckoutSessionCreateParams } from './checkout-sessions/params.js';
export { RefundCreateParams } from './refunds/params.js';
export { CustomerCreateParams, FindCustomerByEmailParams } from './customers/params.js';
export { PaymentsCheckpoint } from './payments/payments-stream.js';
export type { StripeContext } from './stripe-context.js';
export {
  StripePaymentIntent,
  StripeCharge,
  StripeRefund,
  StripeCheckoutSession,
  StripeCustomer,
  StripeDispute,
  StripeInvoice,
  StripeEvent,
  StripeLastPaymentError,
} from './shared/objects.js';
export {
  verifyStripeWebhook,
  verifyStripeSignature,
  parseStripeSignatureHeader,
  type VerifyStripeWebhookOptions,
} from './webhooks/verify-signature.js';
export { mapStripeEvent, mapStripeEvents, type StripeWebhookData, type StripeWebhookEvent } from './webhooks/map-events.js';
export {
  paymentFromIntent,
  paymentFromCharge,
  paymentFromDispute,
  paymentFromCheckoutSession,
  invoiceFromStripe,
  CONTACT_ID_METADATA_KEY,
  INVOICE_ID_METADATA_KEY,
} from './canonical/to-canonical.js';
export {
  toStripeAmount,
  fromStripeAmount,
  stripeAmountFromDecimal,
  decimalFromStripeAmount,
  stripeCurrencyExponent,
  stripeAmountStep,
  isChargeableStripeAmount,
} from './shared/amounts.js';
export { encodeStripeForm, decodeStripeForm } from './shared/form-encoding.js';
