import { AuthError } from '@hmi/core';
import { assertSecureUrl } from '@hmi/core/internal';
import { z } from 'zod';

/** The fields of `.well-known/smart-configuration` the connector reads. */
export const SmartConfiguration = z.looseObject({
  token_endpoint: z.string().url(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
  token_endpoint_auth_signing_alg_values_supported: z.array(z.string()).optional(),
  grant_types_supported: z.array(z.string()).optional(),
  capabilities: z.array(z.string()).optional(),
});
/** A SMART configuration document. */
export type SmartConfiguration = z.infer<typeof SmartConfiguration>;

/** Options of {@link discoverSmartConfiguration}. */
export interface SmartDiscoveryOptions {
  /** The fetch implementation. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Permit `http://` (loopback tests only). */
  allowInsecureHttp?: boolean | undefined;
  /** Time allowed for the request. Default 30 000 ms. */
  timeoutMs?: number | undefined;
  /** Aborts the request. */
  signal?: AbortSignal | undefined;
  /** Fail unless the server accepts this client-assertion algorithm (when it says which it accepts). */
  algorithm?: string | undefined;
}

/** The URL of a FHIR base's SMART configuration: `<base>/.well-known/smart-configuration`. */
export function smartConfigurationUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/.well-known/smart-configuration`;
}

/**
 * Fetches and validates `<baseUrl>/.well-known/smart-configuration` (SMART App Launch 2.x §2.1).
 * Refuses a document whose token endpoint is not https (unless `allowInsecureHttp`), or which says
 * the server does not accept `private_key_jwt` or the chosen algorithm. Errors are AuthErrors with
 * code `smart_discovery_failed`; network and 5xx failures are retryable.
 */
export async function discoverSmartConfiguration(
  baseUrl: string,
  options: SmartDiscoveryOptions = {},
): Promise<SmartConfiguration> {
  const url = smartConfigurationUrl(baseUrl);
  assertSecureUrl(url, options.allowInsecureHttp === true, 'baseUrl');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const fail = (message: string, extra: { status?: number; retryable?: boolean; cause?: unknown } = {}) =>
    new AuthError(`SMART discovery: ${message}`, { code: 'smart_discovery_failed', operation: 'auth:discovery', ...extra });
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { accept: 'application/json' }, signal });
  } catch (error) {
    throw fail('the request did not complete', { retryable: true, cause: error });
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    throw fail(`server answered ${response.status}`, {
      status: response.status,
      retryable: response.status >= 500 || response.status === 429,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail('the document is not JSON', { status: response.status });
  }
  const parsed = SmartConfiguration.safeParse(json);
  if (!parsed.success) throw fail('the document has no valid token_endpoint', { status: response.status });
  const config = parsed.data;
  assertSecureUrl(config.token_endpoint, options.allowInsecureHttp === true, 'auth.tokenUrl');
  const methods = config.token_endpoint_auth_methods_supported;
  if (methods && !methods.includes('private_key_jwt')) throw fail('the server does not accept private_key_jwt');
  const algs = config.token_endpoint_auth_signing_alg_values_supported;
  if (options.algorithm && algs && !algs.includes(options.algorithm))
    throw fail(`the server does not accept ${options.algorithm}`);
  return config;
}
