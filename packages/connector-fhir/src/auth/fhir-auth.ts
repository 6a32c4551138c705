import type { AuthConfig } from '@hmi/core';
import type { FhirConfig } from '../fhir-config.js';
import { discoverSmartConfiguration } from './smart-discovery.js';

/**
 * Turns the connector's auth config into the core's. SMART Backend Services is the core's
 * `private-key-jwt` strategy (client-credentials grant: `iss` = `sub` = client id, `aud` = token
 * URL, `exp` ≤ 300 s, fresh `jti`, `kid`), with a token URL that is discovered on first use when not
 * configured (the core resolves it once and retries discovery after a failure).
 */
export function toCoreAuth(config: FhirConfig, fetchImpl: typeof globalThis.fetch | undefined): AuthConfig {
  const auth = config.auth;
  switch (auth.type) {
    case 'bearer':
      return { type: 'bearer', token: auth.token };
    case 'basic':
      return { type: 'basic', username: auth.username, password: auth.password };
    case 'smart-backend-services':
      return {
        type: 'private-key-jwt',
        grant: 'client-credentials',
        clientId: auth.clientId,
        privateKey: auth.privateKey,
        algorithm: auth.algorithm,
        keyId: auth.keyId,
        assertionLifetimeSec: 300,
        ...(auth.scope && { scope: auth.scope }),
        tokenUrl:
          auth.tokenUrl ??
          (async (signal?: AbortSignal) =>
            (
              await discoverSmartConfiguration(config.baseUrl, {
                fetch: fetchImpl,
                allowInsecureHttp: config.allowInsecureHttp,
                timeoutMs: config.timeoutMs,
                signal,
                algorithm: auth.algorithm,
              })
            ).token_endpoint),
      };
  }
}
