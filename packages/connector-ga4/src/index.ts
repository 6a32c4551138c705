/**
 * `@hmi/connector-ga4`: Google Analytics 4 for the hospital CRM — Data API reports into the
 * canonical AnalyticsReport (paged, quota-aware, a daily incremental stream), Measurement Protocol
 * events that always pass the PHI firewall, and the Admin API's property and stream lists.
 * @packageDocumentation
 */
export { GA4_CONNECTOR_VERSION, type Ga4Connector, createGa4Connector, ga4Connector } from './ga4-connector.js';
export {
  GA4_ADMIN_BASE_URL,
  GA4_DATA_BASE_URL,
  GA4_MP_BASE_URL,
  GA4_READONLY_SCOPE,
  GOOGLE_TOKEN_URL,
  Ga4Config,
  type Ga4ConfigInput,
  SavedReport,
  ServiceAccountKey,
} from './ga4-config.js';
export type { Ga4Context } from './ga4-context.js';
export { classifyGa4Error } from './ga4-error.js';
export { Ga4Report, PropertyQuota, RunRealtimeReportInput, RunReportInput, WireReportResponse } from './reports/report-model.js';
export { DailyReport, DailyReportsCheckpoint } from './reports/daily-reports.js';
export { Ga4Event, SendEventsInput, SendEventsResult } from './events/send-events.js';
export {
  MP_LIMITS,
  MP_RESERVED_EVENT_NAMES,
  MP_RESERVED_PARAM_NAMES,
  MP_RESERVED_PREFIXES,
  MP_RESERVED_USER_PROPERTY_NAMES,
  type MpValidationCode,
  type MpValidationMessage,
  type MpValidationOptions,
  validateMeasurementProtocolBody,
} from './events/mp-validation.js';
export { Ga4DataStream, Ga4Property, ListDataStreamsInput, ListPropertiesInput } from './properties/admin-lists.js';
