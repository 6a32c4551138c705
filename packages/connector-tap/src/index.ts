/**
 * `@hmi/connector-tap`: Tap Payments (GCC) for hmi — charges and authorizations by source or token
 * (KNET, Benefit, mada, cards, Apple Pay) idempotent by `reference.idempotent`, void, refunds, a
 * `charges` stream by creation time and the `chargeEvents` webhook (`hashstring` HMAC verified in
 * constant time, charge re-read). KWD, BHD and OMR stay exact in minor units. MSW fake at
 * `@hmi/connector-tap/msw`.
 * @packageDocumentation
 */
export { createTapConnector, TAP_CONNECTOR_VERSION, type TapConnector, tapConnector } from './tap-connector.js';
export { TAP_DEFAULT_BASE_URL, TapConfig, type TapConfigInput } from './tap-config.js';
export type { TapContext } from './tap-context.js';
export { classifyTapError, tapErrorCodes } from './tap-error.js';
export {
  CONTACT_ID_METADATA_KEY,
  TapChargeStatus,
  TapPayment,
  TapRefund,
  tapMethodOf,
  toTapPayment,
  toTapRefund,
  WireCharge,
  WireRefund,
} from './tap-model.js';
export { formatTapAmount, fromTapAmount, toTapAmount } from './shared/amounts.js';
export { tapIdempotentFor } from './shared/helpers.js';
export { AuthorizeIdInput, CreateChargeInput, RetrieveChargeInput, TapCustomerInput } from './charges/charge-actions.js';
export { ChargesCheckpoint } from './charges/charges-stream.js';
export { CreateRefundInput, RetrieveRefundInput } from './refunds/refund-actions.js';
export {
  computeTapHashstring,
  TAP_HASHSTRING_HEADER,
  type TapHashFields,
  tapHashInput,
  verifyTapHashstring,
} from './webhooks/hashstring.js';
export type { TapWebhookData, TapWebhookEvent } from './webhooks/charge-webhook.js';
