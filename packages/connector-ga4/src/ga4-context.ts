import type { HttpClient, PhiFirewall, Telemetry } from '@hmi/core';
import type { Ga4Config } from './ga4-config.js';

/** What every action and stream of the GA4 connector receives (built once per instance in `setup`). */
export interface Ga4Context {
  /** Data API client (`runReport`, `runRealtimeReport`); undefined without credentials. */
  data: HttpClient | undefined;
  /** Admin API client; undefined without credentials. */
  admin: HttpClient | undefined;
  /** Measurement Protocol client: no OAuth, the api_secret travels in the query. */
  mp: HttpClient;
  config: Ga4Config;
  /** The config's firewall, or the default one. */
  firewall: PhiFirewall;
  telemetry: Telemetry;
  /** Milliseconds since the epoch. */
  now: () => number;
}
