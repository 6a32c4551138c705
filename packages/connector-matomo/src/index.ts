/**
 * `@hmi/connector-matomo`: Matomo (self-hosted analytics) for the hospital CRM — Reporting API
 * reports into the canonical AnalyticsReport with `token_auth` only in POST bodies, and server-side
 * hits through the Tracking HTTP API's bulk form, always behind the PHI firewall.
 * @packageDocumentation
 */
export { MATOMO_CONNECTOR_VERSION, type MatomoConnector, createMatomoConnector, matomoConnector } from './matomo-connector.js';
export { MatomoConfig, type MatomoConfigInput } from './matomo-config.js';
export type { MatomoContext } from './matomo-context.js';
export { classifyMatomoError } from './matomo-error.js';
export { MATOMO_REPORT_METHODS, MatomoReport, MatomoReportInput, flattenMatomo } from './reports/reporting.js';
export { MatomoHit, TrackHitsInput, TrackHitsResult } from './hits/track-hits.js';
