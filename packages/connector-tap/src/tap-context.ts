import type { HttpClient } from '@hmi/core';
import type { TapConfig } from './tap-config.js';

/** What every action, stream and webhook of the connector receives (built once per instance in `setup`). */
export interface TapContext {
  http: HttpClient;
  config: TapConfig;
}
