import { secret } from '@hmi/core';
import { z } from 'zod';

/** The X API origin. */
export const X_DEFAULT_BASE_URL = 'https://api.x.com';
/** X's OAuth 2.0 token endpoint (authorization-code tokens are refreshed here). */
export const X_DEFAULT_TOKEN_URL = 'https://api.x.com/2/oauth2/token';

/** Tokens obtained by a refresh, handed to the host so it can persist the rotated refresh token. */
export interface XTokenSet {
  accessToken: string;
  /** X rotates refresh tokens: the old one stops working once this one is issued. */
  refreshToken: string | undefined;
  /** Epoch ms after which the access token is no longer usable. */
  expiresAt: number;
}

const fn = <T>(name: string) =>
  z.custom<T>((value) => typeof value === 'function', { message: `expected ${name} to be a function` });

/**
 * OAuth 2.0 user context (authorization code with PKCE, done once by the host): the connector
 * holds the user's tokens, refreshes the access token when it expires or X answers 401, and
 * passes every rotated refresh token to `onTokens` so the host can store it.
 */
export const XOAuth2UserAuth = z.object({
  type: z.literal('oauth2-user'),
  /** The app's OAuth 2.0 client id. */
  clientId: z.string().min(1).max(200),
  /** The client secret of a confidential client (sent as HTTP Basic). Public clients leave it out. */
  clientSecret: secret(z.string().min(1)).optional(),
  /** The current access token, if the host has one; otherwise the first request refreshes. */
  accessToken: secret(z.string().min(1)).optional(),
  /** When `accessToken` expires, epoch ms. Unknown: it is used until X refuses it. */
  accessTokenExpiresAt: z.number().int().positive().optional(),
  /** The refresh token (scope `offline.access`). */
  refreshToken: secret(z.string().min(1)),
  /** Default {@link X_DEFAULT_TOKEN_URL}. */
  tokenUrl: z.string().url().default(X_DEFAULT_TOKEN_URL),
  /** Told every token set a refresh obtained. Persist `refreshToken`: the previous one is now void. */
  onTokens: fn<(tokens: XTokenSet) => void | Promise<void>>('onTokens').optional(),
});

/** OAuth 1.0a user context: every request is signed with HMAC-SHA1 (RFC 5849). */
export const XOAuth1UserAuth = z.object({
  type: z.literal('oauth1-user'),
  /** The app's API key (consumer key). */
  consumerKey: z.string().min(1).max(200),
  /** The app's API key secret. */
  consumerSecret: secret(z.string().min(1)),
  /** The user's access token. */
  accessToken: secret(z.string().min(1)),
  /** The user's access token secret. */
  accessTokenSecret: secret(z.string().min(1)),
});

/** Health-matter reply template: what goes out instead of a free-text reply. */
export const XPrivateReplyTemplate = z.object({
  ar: z.string().min(1).max(280),
  en: z.string().min(1).max(280),
});

/**
 * The configuration of {@link createXConnector}. Credentials are `secret()`: they never reach
 * errors or telemetry.
 */
export const XConfig = z.object({
  auth: z.discriminatedUnion('type', [XOAuth2UserAuth, XOAuth1UserAuth]),
  /** The account's numeric user id. Without it the connector asks `GET /2/users/me` once. */
  userId: z
    .string()
    .regex(/^[0-9]{1,19}$/, 'expected a numeric X user id')
    .optional(),
  /** Default `https://api.x.com`. */
  baseUrl: z.string().url().default(X_DEFAULT_BASE_URL),
  /** Permit `http://` URLs. Only for loopback tests. */
  allowInsecureHttp: z.boolean().default(false),
  /** Time allowed for one request, ms. Default 30 000. */
  timeoutMs: z.number().int().positive().max(300_000).default(30_000),
  /**
   * The query parameter that lists post fields. The published OpenAPI description (v2.167) names
   * it `post.fields`; accounts still on the older naming use `tweet.fields`. Default `post.fields`.
   */
  fieldsParameter: z.enum(['post.fields', 'tweet.fields']).default('post.fields'),
  /** Posts per page of the streams (X allows 5–100). Default 100. */
  pageSize: z.number().int().min(5).max(100).default(100),
  /**
   * Longest wait for a rate-limit window to reset (X's windows are 15 minutes), ms. A reset
   * further away fails the call with a RateLimitError instead. Default 900 000.
   */
  maxRateLimitWaitMs: z.number().int().nonnegative().max(3_600_000).default(900_000),
  /** The "please contact us privately" reply sent for health matters. Default a built-in Arabic/English text. */
  privateReplyTemplate: XPrivateReplyTemplate.optional(),
  /** Region for phone numbers written without a country code in the privacy check. Default `SA`. */
  defaultRegion: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .transform((s) => s.toUpperCase())
    .default('SA'),
  /** The clock (epoch ms). Default `Date.now`. */
  now: fn<() => number>('now').optional(),
  /** How the connector waits for a rate-limit reset. Default a timer; tests inject one. */
  sleep: fn<(ms: number, signal?: AbortSignal) => Promise<void>>('sleep').optional(),
});
/** The configuration as callers write it. */
export type XConfigInput = z.input<typeof XConfig>;
/** The configuration after defaults. */
export type XConfig = z.output<typeof XConfig>;
