import {
  type AuthConfig,
  type ConnectorInstanceOptions,
  createPhiFirewall,
  defineConnector,
  type HttpClientOptions,
} from '@hmi/core';
import { listDataStreams, listProperties } from './properties/admin-lists.js';
import { sendEvents } from './events/send-events.js';
import { GA4_READONLY_SCOPE, Ga4Config, type Ga4ConfigInput } from './ga4-config.js';
import type { Ga4Context } from './ga4-context.js';
import { classifyGa4Error } from './ga4-error.js';
import { dailyReports } from './reports/daily-reports.js';
import { runRealtimeReport, runReport } from './reports/run-report.js';
import { PACKAGE_VERSION } from './version.js';

/** The package version, reported by the connector. */
export const GA4_CONNECTOR_VERSION: string = PACKAGE_VERSION;

function authOf(config: Ga4Config): AuthConfig | undefined {
  if (config.accessToken) return { type: 'bearer', token: config.accessToken };
  const key = config.serviceAccount;
  if (!key) return undefined;
  // Google service accounts: the signed JWT is the grant (RFC 7523 §2.1); the core caches the
  // token and refreshes it before expiry or after a 401.
  return {
    type: 'private-key-jwt',
    grant: 'jwt-bearer',
    tokenUrl: config.tokenUrl,
    clientId: key.client_email,
    privateKey: key.private_key,
    algorithm: 'RS256',
    ...(key.private_key_id && { keyId: key.private_key_id }),
    scope: GA4_READONLY_SCOPE,
    assertionLifetimeSec: 3600,
  };
}

/**
 * The Google Analytics 4 connector: actions `runReport`, `runRealtimeReport` (Data API v1beta),
 * `sendEvents` (Measurement Protocol, through the PHI firewall), `listProperties` and
 * `listDataStreams` (Admin API, read-only); the `dailyReports` stream.
 */
export const ga4Connector = defineConnector({
  id: 'ga4',
  name: 'Google Analytics 4',
  category: 'analytics',
  version: GA4_CONNECTOR_VERSION,
  config: Ga4Config,
  auth: ['service-account (JWT bearer)', 'bearer', 'api_secret (Measurement Protocol)'],
  setup(config, runtime): Ga4Context {
    const common: Omit<HttpClientOptions, 'baseUrl'> = {
      timeoutMs: config.timeoutMs,
      allowInsecureHttp: config.allowInsecureHttp,
      classifyError: classifyGa4Error,
      ...(config.retry && { retry: config.retry }),
    };
    const auth = authOf(config);
    return {
      data: auth ? runtime.createHttpClient({ ...common, baseUrl: config.dataBaseUrl, auth }) : undefined,
      admin: auth ? runtime.createHttpClient({ ...common, baseUrl: config.adminBaseUrl, auth }) : undefined,
      mp: runtime.createHttpClient({ ...common, baseUrl: config.mpBaseUrl }),
      config,
      firewall: config.firewall ?? createPhiFirewall(),
      telemetry: runtime.telemetry,
      now: config.now ?? Date.now,
    };
  },
  async check(ctx, signal) {
    if (!ctx.data || !ctx.config.propertyId) return;
    await ctx.data.request({
      path: `/v1beta/properties/${ctx.config.propertyId}/metadata`,
      operation: 'check',
      ...(signal && { signal }),
    });
  },
  actions: { runReport, runRealtimeReport, sendEvents, listProperties, listDataStreams },
  streams: { dailyReports },
});

/** A configured GA4 connector. */
export type Ga4Connector = ReturnType<typeof ga4Connector.create>;

/**
 * Creates a GA4 connector instance; the config is validated (a ConfigError names the bad field)
 * and its secrets (private key, access token, api_secret) registered with the instance's redactor.
 */
export function createGa4Connector(config: Ga4ConfigInput, options?: ConnectorInstanceOptions): Ga4Connector {
  return ga4Connector.create(config, options);
}
