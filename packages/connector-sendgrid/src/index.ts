/**
 * `@hmi/connector-sendgrid`: email through SendGrid's v3 API with consent first. Marketing email
 * passes the consent gate (and needs an unsubscribe group) before any request; transactional
 * email goes straight out. The signed Event Webhook is verified (ECDSA P-256) and mapped to
 * message status, engagement and consent changes. Bilingual Arabic/English emails are rendered
 * with `lang` and `dir` set.
 * @packageDocumentation
 */
export {
  createSendGridConnector,
  type SendGridConnector,
  sendGridConnector,
  sendTemplatedEmail,
  SENDGRID_CONNECTOR_VERSION,
} from './sendgrid-connector.js';
export { SendGridConfig, type SendGridConfigInput, SendGridSender, SENDGRID_DEFAULT_BASE_URL } from './sendgrid-config.js';
export type { SendGridContext } from './sendgrid-context.js';
export { classifySendGridError, rateLimitWaitMs, safeVendorMessage, sendGridIssues } from './sendgrid-error.js';
export { EmailAddress, normalizeEmail } from './emails/email-address.js';
export {
  EmailRecipient,
  HMI_CUSTOM_ARGS,
  MAX_PERSONALIZATIONS,
  MAX_RECIPIENTS,
  SendEmailBatch,
  SendEmailInput,
  type SendEmailParsed,
  SendEmailResult,
} from './emails/mail-schemas.js';
export { buildMailBody, type ResolvedRecipient, type SendGridAddress } from './emails/mail-body.js';
export { SendGridPartialSendError } from './emails/send-email.js';
export {
  checkSendGridSignature,
  parseSendGridPublicKey,
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  type SendGridPublicKey,
  type SignatureFailure,
  verifySendGridSignature,
  type VerifySendGridSignatureOptions,
} from './webhooks/verify-signature.js';
export {
  EVENT_CONSENT,
  EVENT_STATUS,
  SendGridEventBatch,
  type SendGridEventData,
  type SendGridEventKind,
  SendGridRawEvent,
} from './webhooks/event-schemas.js';
export { mapSendGridEvent, mapSendGridEvents } from './webhooks/map-events.js';
export { eventWebhook, verifyEventWebhook } from './webhooks/event-webhook.js';
export {
  BilingualEmailTemplate,
  BilingualText,
  directionOf,
  escapeHtml,
  pickEmailLanguage,
  type RenderedEmail,
  renderBilingualEmail,
  withDirection,
} from './templates/bilingual-email.js';
export { SendTemplatedEmailInput, SendTemplatedEmailResult } from './templates/send-templated-email.js';
export { type ReconcileResult, reconcileSendGridOutbox } from './emails/reconcile.js';
