import type { HttpClient, PhiFirewall, Telemetry } from '@hmi/core';
import type { MatomoConfig } from './matomo-config.js';

/** What every action of the Matomo connector receives (built once per instance in `setup`). */
export interface MatomoContext {
  http: HttpClient;
  config: MatomoConfig;
  /** The config's firewall, or the default one. */
  firewall: PhiFirewall;
  telemetry: Telemetry;
}
