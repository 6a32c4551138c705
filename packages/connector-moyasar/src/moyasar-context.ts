import type { HttpClient } from '@hmi/core';
import type { MoyasarConfig } from './moyasar-config.js';

/** What every action, stream and webhook of the connector receives (built once per instance in `setup`). */
export interface MoyasarContext {
  http: HttpClient;
  config: MoyasarConfig;
  /** The webhook shared secrets, current first. */
  webhookSecrets: readonly string[];
}
