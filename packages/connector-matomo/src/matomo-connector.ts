import { type ConnectorInstanceOptions, createPhiFirewall, defineConnector } from '@hmi/core';
import { MatomoConfig, type MatomoConfigInput } from './matomo-config.js';
import type { MatomoContext } from './matomo-context.js';
import { classifyMatomoError } from './matomo-error.js';
import { getReport } from './reports/reporting.js';
import { trackHits } from './hits/track-hits.js';
import { PACKAGE_VERSION } from './version.js';

/** The package version, reported by the connector. */
export const MATOMO_CONNECTOR_VERSION: string = PACKAGE_VERSION;

/**
 * The Matomo connector: `getReport` (Reporting API → AnalyticsReport) and `trackHits` (Tracking
 * HTTP API, bulk, through the PHI firewall).
 */
export const matomoConnector = defineConnector({
  id: 'matomo',
  name: 'Matomo',
  category: 'analytics',
  version: MATOMO_CONNECTOR_VERSION,
  config: MatomoConfig,
  auth: ['token_auth (POST body)'],
  setup(config, runtime): MatomoContext {
    const http = runtime.createHttpClient({
      baseUrl: config.baseUrl,
      timeoutMs: config.timeoutMs,
      allowInsecureHttp: config.allowInsecureHttp,
      classifyError: classifyMatomoError,
      ...(config.retry && { retry: config.retry }),
    });
    return { http, config, firewall: config.firewall ?? createPhiFirewall(), telemetry: runtime.telemetry };
  },
  async check(ctx, signal) {
    if (!ctx.config.tokenAuth) return;
    const body = await ctx.http.request({
      method: 'POST',
      path: '/index.php',
      form: { module: 'API', method: 'API.getMatomoVersion', format: 'JSON', token_auth: ctx.config.tokenAuth },
      idempotent: true,
      operation: 'check',
      ...(signal && { signal }),
    });
    const refused = classifyMatomoError({
      status: 200,
      headers: new Headers(),
      body,
      method: 'POST',
      operation: 'check',
      requestId: undefined,
    });
    if (refused) throw refused;
  },
  actions: { getReport, trackHits },
});

/** A configured Matomo connector. */
export type MatomoConnector = ReturnType<typeof matomoConnector.create>;

/** Creates a Matomo connector instance; the config is validated and `tokenAuth` registered with the redactor. */
export function createMatomoConnector(config: MatomoConfigInput, options?: ConnectorInstanceOptions): MatomoConnector {
  return matomoConnector.create(config, options);
}
