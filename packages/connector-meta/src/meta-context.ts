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
  /** A Graph client without the instance's token, for the token exchange (credentials per request). */
  oauthHttp: HttpClient;
  /** Registers a secret obtained at run time (an exchanged token) with the instance's redactor. */
  addSecret(value: string): void;
}
