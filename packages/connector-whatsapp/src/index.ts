/**
 * `@hmi/connector-whatsapp`: WhatsApp Business messaging (Cloud API) for hospitals in the Gulf and
 * Egypt — approved templates (MARKETING consent-gated, UTILITY reminders transactional), free-form
 * texts only inside the 24-hour window, signed webhooks with Arabic opt-out words as consent
 * events, and the billing category of each send before it goes. The MSW fake is in `./msw`.
 * @packageDocumentation
 */
export { createWhatsAppConnector, type WhatsAppConnector, whatsAppConnector } from './whatsapp-connector.js';
export { type InboundRecorder, type LastInboundLookup, WhatsAppConfig, type WhatsAppConfigInput } from './whatsapp-config.js';
export type { WhatsAppContext } from './whatsapp-context.js';
export {
  classifyWhatsAppError,
  isTemplateErrorCode,
  OUTSIDE_WINDOW,
  UNDELIVERABLE,
  WhatsAppErrorCode,
} from './whatsapp-error.js';
export { SERVICE_WINDOW_MS, windowOpen } from './window/service-window.js';
export { ConversationCategory, SendResult, TemplateCategory } from './messages/wire.js';
export {
  conversationCategoryOf,
  EstimateSendInput,
  isBillable,
  SendEstimate,
} from './messages/pricing.js';
export {
  SendTemplateInput,
  TemplateComponent,
  TemplateParameter,
  templatePurpose,
} from './messages/template-actions.js';
export { MarkReadInput, SendTextInput } from './messages/text-actions.js';
export { MessageTemplate, TEMPLATE_FIELDS, TemplatesCheckpoint, WireTemplate } from './templates/templates-stream.js';
export {
  InboundItem,
  STOP_PROMOTIONS_WORDS,
  StatusItem,
  type TemplateStatusEvent,
  TemplateStatusItem,
} from './webhooks/map.js';
export { RAW_EVENT, type RawWhatsAppEvent } from './webhooks/receive.js';
