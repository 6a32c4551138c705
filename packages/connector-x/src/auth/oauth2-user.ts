import { AbortedError, type AuthStrategy, AuthError, type Redactor } from '@hmi/core';
import { assertSecureUrl, TokenCache } from '@hmi/core/internal';
import { z } from 'zod';
import type { XTokenSet } from '../x-config.js';

const RefreshResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.union([z.number().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
});

/** Options of {@link createOAuth2UserStrategy}. */
export interface OAuth2UserOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret?: string | undefined;
  accessToken?: string | undefined;
  accessTokenExpiresAt?: number | undefined;
  refreshToken: string;
  onTokens?: ((tokens: XTokenSet) => void | Promise<void>) | undefined;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  allowInsecureHttp: boolean;
  /** Every token obtained is registered here, so it never reaches telemetry or errors. */
  redactor: Redactor;
  now: () => number;
}

/**
 * OAuth 2.0 user-context auth for X: the access token is cached per instance and refreshed with
 * the refresh token (RFC 6749 §6) when it expires or X answers 401 (the core then replays once).
 * X rotates refresh tokens, so the newest one is kept in this instance and handed to `onTokens`;
 * concurrent requests share one refresh (the core's TokenCache), so a rotated token is never
 * spent twice.
 */
export function createOAuth2UserStrategy(options: OAuth2UserOptions): AuthStrategy {
  assertSecureUrl(options.tokenUrl, options.allowInsecureHttp, 'auth.tokenUrl');
  let refreshToken = options.refreshToken;
  let seed: { value: string; expiresAt: number } | undefined = options.accessToken
    ? { value: options.accessToken, expiresAt: options.accessTokenExpiresAt ?? Number.MAX_SAFE_INTEGER }
    : undefined;
  const secrets = new Set<string>([refreshToken, ...(options.clientSecret ? [options.clientSecret] : [])]);
  if (options.accessToken) secrets.add(options.accessToken);
  const remember = (value: string) => {
    secrets.add(value);
    options.redactor.addSecret(value);
  };

  const refresh = async (signal?: AbortSignal): Promise<{ value: string; expiresAt: number }> => {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (options.clientSecret) {
      const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`);
      headers.authorization = `Basic ${basic.toString('base64')}`;
    } else {
      // A public client identifies itself in the body (X's docs, "Refresh tokens").
      form.set('client_id', options.clientId);
    }
    const timeout = AbortSignal.timeout(options.timeoutMs);
    let response: Response;
    try {
      response = await options.fetch(options.tokenUrl, {
        method: 'POST',
        headers,
        body: form.toString(),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch {
      if (signal?.aborted) throw new AbortedError(undefined, { connector: 'x', operation: 'auth:refresh' });
      throw new AuthError('X token refresh got no response', { retryable: false, connector: 'x', operation: 'auth:refresh' });
    }
    // The body is never put in an error: it may echo the token sent.
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      throw new AuthError(`X token endpoint answered ${response.status}: the refresh token was refused or has been used`, {
        status: response.status,
        code: 'auth_refresh_failed',
        // Never repeated by the retry layer: X rotates refresh tokens, and a refresh whose answer
        // was lost has already spent the token. The next call starts a new refresh.
        retryable: false,
        connector: 'x',
        operation: 'auth:refresh',
      });
    }
    let parsed: z.infer<typeof RefreshResponse> | undefined;
    try {
      const result = RefreshResponse.safeParse(JSON.parse(text));
      parsed = result.success ? result.data : undefined;
    } catch {
      parsed = undefined;
    }
    if (!parsed) {
      throw new AuthError('X token endpoint answer has no access_token', {
        status: response.status,
        connector: 'x',
        operation: 'auth:refresh',
      });
    }
    remember(parsed.access_token);
    if (parsed.refresh_token) {
      remember(parsed.refresh_token);
      refreshToken = parsed.refresh_token;
    }
    const tokens = {
      value: parsed.access_token,
      expiresAt: options.now() + (parsed.expires_in ?? 7200) * 1000,
    };
    try {
      await options.onTokens?.({ accessToken: tokens.value, refreshToken: parsed.refresh_token, expiresAt: tokens.expiresAt });
    } catch {
      // The host's store failing must not fail the request; the new tokens stay in this instance.
    }
    return tokens;
  };

  const cache = new TokenCache(
    async (signal) => {
      // The host's access token is used first; every later fetch is a refresh.
      if (seed) {
        const first = seed;
        seed = undefined;
        if (first.expiresAt > options.now()) return first;
      }
      return refresh(signal);
    },
    { now: options.now },
  );

  const set = (headers: Record<string, string>, token: string) => {
    headers.authorization = `Bearer ${token}`;
    return token;
  };
  return {
    name: 'oauth2-user',
    async apply(headers, signal) {
      const token = await cache.get(signal);
      headers.set('authorization', `Bearer ${token}`);
      return token;
    },
    applyTo(headers, signal) {
      const cached = cache.peek();
      if (cached !== undefined) return set(headers, cached);
      return cache.get(signal()).then((token) => set(headers, token));
    },
    refresh: (used, signal) => cache.refresh(used, signal),
    secrets: () => [...secrets],
  };
}
