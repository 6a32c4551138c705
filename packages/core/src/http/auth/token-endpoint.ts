import { AbortedError, AuthError, ConfigError } from '../../errors/errors.js';
import type { CachedToken, TokenFetchReport } from './token-cache.js';
import type { TokenUrl } from './types.js';

/**
 * The two fields of an OAuth token answer (RFC 6749 §5.1) this client uses: a non-empty
 * `access_token`, and `expires_in` as seconds (a number, or digits as some servers send). Checked by
 * hand: a schema library here would be loaded by every import of the core. Undefined when unusable.
 */
function readTokenResponse(json: unknown): { access_token: string; expires_in?: number } | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const { access_token, token_type, expires_in } = json as Record<string, unknown>;
  if (typeof access_token !== 'string' || access_token.length === 0) return undefined;
  if (token_type !== undefined && typeof token_type !== 'string') return undefined;
  if (expires_in === undefined) return { access_token };
  if (typeof expires_in === 'number' && expires_in >= 0 && Number.isFinite(expires_in)) return { access_token, expires_in };
  if (typeof expires_in === 'string' && /^\d+$/.test(expires_in)) return { access_token, expires_in: Number(expires_in) };
  return undefined;
}

/** Shared plumbing for the token-endpoint strategies. */
export interface TokenEndpointContext {
  fetch: typeof globalThis.fetch;
  allowInsecureHttp: boolean;
  timeoutMs: number;
  connector?: string | undefined;
  /** Told about every token fetch (trigger, outcome, real duration) for `auth:refresh` telemetry. */
  onTokenFetch?: ((report: TokenFetchReport) => void) | undefined;
}

/** Resolves a token URL (calling a discovery function once) and refuses plain http. */
export function tokenUrlResolver(tokenUrl: TokenUrl, ctx: TokenEndpointContext): (signal?: AbortSignal) => Promise<string> {
  let resolved: Promise<string> | undefined;
  return (signal) => {
    resolved ??= (typeof tokenUrl === 'string' ? Promise.resolve(tokenUrl) : tokenUrl(signal)).then((url) => {
      assertSecureUrl(url, ctx.allowInsecureHttp, 'auth.tokenUrl');
      return url;
    });
    resolved.catch(() => {
      resolved = undefined;
    });
    return resolved;
  };
}

/** Throws a ConfigError unless `url` is https (or http with the explicit opt-in). */
export function assertSecureUrl(url: string, allowInsecureHttp: boolean, field: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${field} is not a valid URL`, {
      issues: [{ path: [field], code: 'invalid_url', message: 'not a URL' }],
    });
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && allowInsecureHttp) return parsed;
  throw new ConfigError(
    `${field} must use https:// (patient data travels only over TLS); set allowInsecureHttp for local tests`,
    { issues: [{ path: [field], code: 'insecure_url', message: 'https required' }] },
  );
}

/**
 * POSTs a form to a token endpoint and returns the access token with its expiry. Errors are
 * AuthErrors that carry the status but never the response body or the credentials sent.
 */
export async function requestToken(
  url: string,
  form: URLSearchParams,
  headers: Record<string, string>,
  ctx: TokenEndpointContext,
  signal?: AbortSignal,
): Promise<CachedToken> {
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await ctx.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
      body: form.toString(),
      signal: combined,
      // A token endpoint that redirects is refused (its 3xx is an AuthError below): following it
      // would resend the form, client secret or assertion included, to wherever it points.
      redirect: 'manual',
    });
  } catch (error) {
    if (signal?.aborted) throw new AbortedError(undefined, { connector: ctx.connector, operation: 'auth:token' });
    if (timeout.aborted) {
      throw new AuthError(`token request got no response within ${ctx.timeoutMs} ms`, {
        code: 'auth_timeout',
        retryable: true,
        connector: ctx.connector,
        operation: 'auth:token',
      });
    }
    throw new AuthError('token request failed before a response', {
      retryable: true,
      cause: error,
      connector: ctx.connector,
      operation: 'auth:token',
    });
  }
  // The body is read even on failure so the connection can be reused; it is never put in an error.
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    throw new AuthError(`token endpoint answered ${response.status}`, {
      status: response.status,
      retryable: response.status >= 500 || response.status === 429,
      connector: ctx.connector,
      operation: 'auth:token',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AuthError('token endpoint answered with malformed JSON', {
      status: response.status,
      connector: ctx.connector,
      operation: 'auth:token',
    });
  }
  const parsed = readTokenResponse(json);
  if (!parsed) {
    throw new AuthError('token endpoint answer has no access_token', {
      status: response.status,
      connector: ctx.connector,
      operation: 'auth:token',
    });
  }
  const lifetimeSec = parsed.expires_in ?? 300;
  return { value: parsed.access_token, expiresAt: Date.now() + lifetimeSec * 1000 };
}
