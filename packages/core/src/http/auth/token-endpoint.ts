import { z } from 'zod';
import { AbortedError, AuthError, ConfigError } from '../../errors/errors.js';
import type { CachedToken, TokenFetchReport } from './token-cache.js';
import type { TokenUrl } from './types.js';

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.union([z.number().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
});

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
  const parsed = TokenResponse.safeParse(json);
  if (!parsed.success) {
    throw new AuthError('token endpoint answer has no access_token', {
      status: response.status,
      connector: ctx.connector,
      operation: 'auth:token',
    });
  }
  const lifetimeSec = parsed.data.expires_in ?? 300;
  return { value: parsed.data.access_token, expiresAt: Date.now() + lifetimeSec * 1000 };
}
