/**
 * `@hmi/connector-moyasar`: Moyasar (Saudi Arabia) for hmi — mada, Apple Pay and STC Pay payments
 * with `given_id` idempotency, refunds, capture and void reconciled when their outcome is unknown,
 * hosted invoices, a `payments` stream by creation time and the `paymentEvents` webhook (constant-
 * time `secret_token`, payment re-read over the API). MSW fake at `@hmi/connector-moyasar/msw`.
 * @packageDocumentation
 */
export {
  createMoyasarConnector,
  MOYASAR_CONNECTOR_VERSION,
  type MoyasarConnector,
  moyasarConnector,
} from './moyasar-connector.js';
export { MOYASAR_DEFAULT_BASE_URL, MoyasarConfig, type MoyasarConfigInput } from './moyasar-config.js';
export type { MoyasarContext } from './moyasar-context.js';
export { classifyMoyasarError, moyasarErrorType } from './moyasar-error.js';
export {
  CONTACT_ID_METADATA_KEY,
  declineReasonOf,
  INVOICE_ID_METADATA_KEY,
  MoyasarDeclineReason,
  MoyasarInvoice,
  MoyasarInvoiceStatus,
  MoyasarPayment,
  MoyasarPaymentStatus,
  methodOf,
  toMoyasarInvoice,
  toMoyasarPayment,
  WireInvoice,
  WirePayment,
} from './moyasar-model.js';
export { ApplePaySource, CreatePaymentInput, StcPaySource, stcPayMobile, TokenSource } from './payments/create-payment.js';
export {
  CapturePaymentInput,
  ListPaymentsInput,
  PaymentIdInput,
  PaymentList,
  RefundPaymentInput,
} from './payments/payment-actions.js';
export { PaymentsCheckpoint } from './payments/payments-stream.js';
export {
  CreateInvoiceInput,
  FetchInvoiceInput,
  InvoiceList,
  ListInvoicesInput,
  REQUEST_KEY_METADATA_KEY,
} from './invoices/invoice-actions.js';
export { givenIdFor } from './shared/helpers.js';
export {
  MOYASAR_PAYMENT_EVENTS,
  type MoyasarWebhookData,
  type MoyasarWebhookEvent,
} from './webhooks/payment-webhook.js';
export { verifyMoyasarSecretToken } from './webhooks/secret-token.js';
