/**
 * `@hmi/core`: the connector contract, the resilient HTTP pipeline, typed errors, redaction,
 * telemetry, pagination, the canonical model and the consent gate.
 *
 * This entry is what host applications and connector authors use. Building blocks of the core
 * itself (backoff, rate limiter, token cache, URL helpers, hooks) live in `@hmi/core/internal`,
 * which follows no semver promise.
 * @packageDocumentation
 */

// Errors: what every failure is, and how to tell them apart across installed copies.
export {
  type ErrorMarker,
  type HmiErrorCode,
  type HmiErrorOptions,
  type SerializedHmiError,
  HmiError,
  defineErrorMarker,
  isHmiError,
} from './errors/hmi-error.js';
export {
  type ValidationIssue,
  AbortedError,
  ApiError,
  AuthError,
  CircuitOpenError,
  ConfigError,
  ConsentError,
  NetworkError,
  RateLimitError,
  TimeoutError,
  ValidationError,
  WebhookVerificationError,
} from './errors/errors.js';
export { formatIssues, toValidationIssues } from './errors/zod-issues.js';
export { type SafeVendorMessageOptions, type VendorMessageTemplate, safeVendorMessage } from './errors/vendor-message.js';

// Redaction and telemetry.
export { type Redactor, type RedactorOptions, PHI_REDACTED, REDACTED, createRedactor } from './redaction/redactor.js';
export {
  type AnyTelemetryListener,
  type Telemetry,
  type TelemetryContext,
  type TelemetryEventMap,
  type TelemetryEventName,
  type TelemetryOptions,
  createTelemetry,
} from './telemetry/telemetry.js';
export type { HookMethod, HookRegistration } from './telemetry/hooks.js';
export {
  type HmiMetricId,
  type MetricKind,
  type MetricLabel,
  type MetricPoint,
  type MetricSpec,
  HMI_METRICS,
  metricPoints,
  prometheusName,
} from './telemetry/metric-names.js';

// The HTTP pipeline.
export {
  type AuthConfig,
  type AuthStrategy,
  type BasicAuth,
  type BearerAuth,
  type CircuitBreakerOptions,
  type CircuitState,
  type ErrorClassifier,
  type ErrorResponseContext,
  type HeaderAuth,
  type HttpClient,
  type HttpClientOptions,
  type HttpMethod,
  type OAuth2ClientCredentialsAuth,
  type PrivateKeyJwtAuth,
  type QueryValue,
  type RateLimitOptions,
  type RawResponse,
  type RequestOptions,
  type RetryOptions,
  type TokenUrl,
  classifyByStatus,
  createHttpClient,
  isRetryableStatus,
  parseRetryAfter,
} from './http/index.js';

// The connector contract.
export {
  type ActionCall,
  type ActionCallOptions,
  type ActionDefinition,
  type ActionFn,
  type ActionHookOptions,
  type CheckResult,
  type ConnectorCategory,
  type ConnectorDefinition,
  type ConnectorInstance,
  type ConnectorInstanceOptions,
  type ConnectorRuntime,
  type StreamDefinition,
  type StreamHandle,
  type StreamPage,
  type StreamReadOptions,
  type WebhookDefinition,
  type WebhookHandle,
  type WebhookHandshakeRequest,
  CONNECTOR_CONTRACT_VERSION,
} from './connector/types.js';
export {
  type Connector,
  type ConnectorKit,
  action,
  connectorKit,
  defineConnector,
  stream,
  webhook,
} from './connector/define-connector.js';
export { checkConnectorConfig } from './connector/unknown-keys.js';
export {
  type Page,
  type PaginationGuard,
  paginateCursor,
  paginateNextLink,
  paginateOffset,
  parseLinkHeader,
} from './pagination/pagination.js';
export type { WebhookEvent, WebhookRequest } from './webhooks/types.js';
export { hmac, timingSafeEqualString } from './webhooks/crypto.js';

// The canonical model: its TypeScript types here; the zod schemas of the same names are in
// `@hmi/core/schemas`, so that importing this entry loads no schema library (issue 22: a serverless
// receiver pays every module it imports on each cold start).
export { type HmiFieldMeta, phi, secret } from './model/registry.js';
export type { CurrencyCode, Coding, E164Phone, IsoDateTime, LanguageTag, Recipient, SourceRef } from './model/common.js';
export type {
  ContactInput,
  Consent,
  Contact,
  ContactEmail,
  ContactPhone,
  ContactUpdate,
  PersonIdentifier,
  PersonName,
  PostalAddress,
  RelatedPerson,
} from './model/contact.js';
export { isDeceased } from './model/deceased.js';
export {
  IDENTIFIER_TYPE_CODES,
  identifierCodeFor,
  identifierTypeFromCode,
  PERSON_IDENTIFIER_TYPES,
  type PersonIdentifierType,
  V2_0203_SYSTEM,
} from './model/identifier-types.js';
export type { Appointment, AppointmentParticipant, Condition } from './model/clinical.js';
export type {
  AnalyticsReport,
  CallHangupCause,
  CallRecord,
  Campaign,
  Employee,
  EngagementMetric,
  Invoice,
  InvoiceLine,
  Message,
  MessageStatus,
  Money,
  Payment,
  PaymentMethod,
  SocialPost,
} from './model/business.js';
export type { Lead, LeadConsentAnswer, LeadFieldAnswer } from './model/lead.js';
export type { AnySchema, SchemaInput, SchemaOutput } from './schema/standard.js';
export { attributeCall, type CallAttributionOptions, normalizeCall, q850Cause } from './model/call-attribution.js';
export { currencyExponent, fromMinorUnits, toMinorUnits } from './model/money.js';
export {
  type DiagnosisCheckOptions,
  type DiagnosisFinding,
  findDiagnosisInText,
  foldClinicalText,
} from './model/payment-description.js';

// Consent and bilingual templates.
export {
  type ConsentAnswer,
  type ConsentChannel,
  type ConsentEvent,
  type ConsentGate,
  type ConsentOptions,
  type ConsentQuery,
  type QuietHours,
  type SendPurpose,
  createConsentGate,
} from './consent/consent.js';
export { type BilingualTemplate, pickLanguage, renderTemplate } from './consent/templates.js';
export { isConsentOptions } from './consent/is-consent-options.js';
export {
  type InboundKeyword,
  type KeywordClassifier,
  type KeywordOptions,
  classifyInboundKeyword,
  createKeywordClassifier,
  DEFAULT_HELP_KEYWORDS,
  DEFAULT_OPT_IN_KEYWORDS,
  DEFAULT_OPT_OUT_KEYWORDS,
  normalizeKeywordText,
} from './consent/keywords.js';

// The PHI firewall every outbound analytics or ad event passes.
export {
  createPhiFirewall,
  type PhiFirewall,
  type PhiFirewallApplyOptions,
  type PhiFirewallCounts,
  type PhiFirewallMode,
  type PhiFirewallPolicy,
  type PhiFirewallResult,
  type TitleCategoryRule,
} from './privacy/phi-firewall.js';
