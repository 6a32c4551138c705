import { action, AuthError, ConfigError, secret } from '@hmi/core';
import { z } from 'zod';
import { paginateGraph } from '../graph/paging.js';
import type { MetaContext } from '../meta-context.js';

const NumericId = z.string().regex(/^\d{1,32}$/, 'expected a numeric id');

/** Input of `getLongLivedPageToken`. */
export const GetLongLivedPageTokenInput = z.object({
  /** The short-lived user token from Facebook Login (about an hour). Secret: sent in a POST body only. */
  shortLivedUserToken: secret(z.string().min(16).max(2048)),
  /** The app id (`client_id`). Default the config's `appId`. */
  appId: NumericId.optional(),
  /**
   * The Page whose token is wanted. Default the config's `pageId`; with neither, every Page the
   * user manages is returned (`/me/accounts`).
   */
  pageId: NumericId.optional(),
});

/** One Page's token. */
export const PageToken = z.object({
  pageId: z.string(),
  /** The Page token. Obtained with a long-lived user token it has no expiry. Secret. */
  accessToken: secret(z.string()),
});

/** Output of `getLongLivedPageToken`. Every token in it is registered with the instance's redactor. */
export const GetLongLivedPageTokenOutput = z.object({
  /** The long-lived user token (about 60 days). Secret. */
  userToken: secret(z.string()),
  /** When the user token expires, ISO 8601, when Meta said (`expires_in`). */
  userTokenExpiresAt: z.string().optional(),
  pages: z.array(PageToken),
});

const Exchanged = z.object({
  access_token: z.string().min(16).max(2048),
  token_type: z.string().max(32).optional(),
  expires_in: z.number().int().nonnegative().optional(),
});
const WirePageToken = z.object({ id: z.string().max(64), access_token: z.string().min(16).max(2048).optional() });

/**
 * Long-lived Page token: exchanges a short-lived user token for a long-lived one
 * (`/oauth/access_token`, `grant_type=fb_exchange_token`, with the app id and app secret), then
 * reads the Page token with it (`/<page id>?fields=access_token`, or `/me/accounts` for every
 * Page). Meta documents the exchange as a GET with query parameters; the same parameters go here in
 * a POST form body, so the app secret and the tokens never appear in a URL (access logs, proxies,
 * telemetry), and the user token travels in the Authorization header. Errors carry Graph codes
 * only. Create a new instance with the returned Page token as `accessToken` and persist it as a
 * secret. Exchanging again is harmless (the action is idempotent for callers and outboxes), but the
 * core, seeing a keyless POST, does not repeat it after an unknown outcome.
 */
export const getLongLivedPageToken = action({
  description: 'Exchange a short-lived user token for a long-lived user token and the Page token',
  idempotent: true,
  input: GetLongLivedPageTokenInput,
  output: GetLongLivedPageTokenOutput,
  async run(input, ctx: MetaContext, call) {
    const appSecret = ctx.config.appSecret;
    const appId = input.appId ?? ctx.config.appId;
    if (!appSecret || !appId) {
      throw new ConfigError('set appId and appSecret to exchange tokens', { connector: 'meta' });
    }
    ctx.addSecret(input.shortLivedUserToken);
    const exchanged = await ctx.oauthHttp.request({
      method: 'POST',
      path: 'oauth/access_token',
      form: {
        grant_type: 'fb_exchange_token',
        client_id: appId,
        client_secret: appSecret,
        fb_exchange_token: input.shortLivedUserToken,
      },
      schema: Exchanged,
      operation: 'getLongLivedPageToken',
      signal: call.signal,
    });
    const userToken = exchanged.access_token;
    ctx.addSecret(userToken);
    const asUser = { authorization: `Bearer ${userToken}` };
    const pageId = input.pageId ?? ctx.config.pageId;
    const wire: Array<z.infer<typeof WirePageToken>> = [];
    if (pageId) {
      wire.push(
        await ctx.oauthHttp.request({
          path: pageId,
          query: { fields: 'id,access_token' },
          headers: asUser,
          schema: WirePageToken,
          operation: 'getLongLivedPageToken',
          signal: call.signal,
        }),
      );
    } else {
      for await (const page of paginateGraph(ctx.oauthHttp, {
        path: 'me/accounts',
        query: { fields: 'id,access_token', limit: ctx.config.pageSize },
        headers: asUser,
        item: WirePageToken,
        graphOrigin: ctx.origin,
        operation: 'getLongLivedPageToken',
        ...(call.signal && { signal: call.signal }),
      })) {
        wire.push(...page.items);
      }
    }
    const pages = wire.flatMap((p) => {
      if (!p.access_token) return [];
      ctx.addSecret(p.access_token);
      return [{ pageId: p.id, accessToken: p.access_token }];
    });
    if (pageId && pages.length === 0) {
      // Meta leaves the field out when the user has no task on the Page.
      throw new AuthError('Meta Graph returned no Page token: the user does not manage this Page', {
        connector: 'meta',
        operation: 'getLongLivedPageToken',
        code: 'permission_denied',
      });
    }
    const now = ctx.config.now?.() ?? Date.now();
    return {
      userToken,
      ...(exchanged.expires_in !== undefined && {
        userTokenExpiresAt: new Date(now + exchanged.expires_in * 1000).toISOString(),
      }),
      pages,
    };
  },
});
