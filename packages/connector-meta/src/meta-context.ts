import type { HttpClient } from '@hmi/core';
import type { UsageGate } from './graph/usage.js';
import type { MetaConfig } from './meta-config.js';

/** What every action, stream and webhook of the Meta connector receives (built once per instance). */
export interface MetaContext {
  http: HttpClient;
  config: MetaConfig;
  /** Holds requests back while Meta's usage headers are near a limit. */
  usage: UsageGate;
  /** The configured Graph origin: `paging.next` is followed only there. */
  origin: string;
}
