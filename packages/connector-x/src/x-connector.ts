import { type ConnectorInstanceOptions, defineConnector } from '@hmi/core';
import { sleep } from '@hmi/core/internal';
import { oauth1Fetch } from './auth/oauth1.js';
import { createOAuth2UserStrategy } from './auth/oauth2-user.js';
import { mentions } from './mentions/mentions-stream.js';
import { createPost, deletePost } from './posts/post-actions.js';
import { posts } from './posts/posts-stream.js';
import { createXRateLimitGate } from './rate-limit.js';
import { XConfig, type XConfigInput } from './x-config.js';
import type { XContext } from './x-context.js';
import { createXErrorClassifier } from './x-error.js';
import { WireMeResponse } from './x-model.js';
import { PACKAGE_VERSION } from './version.js';

/**
 * The X (Twitter) API v2 connector: actions `createPost` (PHI-guarded, private-reply template for
 * health matters) and `deletePost`; streams `posts` (the account's posts with public metrics) and
 * `mentions` (inbound messages on the `social` channel).
 */
export const xConnector = defineConnector({
  id: 'x',
  name: 'X',
  category: 'social',
  version: PACKAGE_VERSION,
  config: XConfig,
  auth: ['oauth2-user', 'oauth1-user'],
  setup(config, runtime): XContext {
    const now = config.now ?? Date.now;
    const rateLimits = createXRateLimitGate({
      now,
      sleep: config.sleep ?? sleep,
      maxWaitMs: config.maxRateLimitWaitMs,
    });
    const baseFetch = runtime.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const redactor = runtime.telemetry.redactor;
    const auth = config.auth;
    let strategy: ReturnType<typeof createOAuth2UserStrategy> | undefined;
    let fetch: typeof globalThis.fetch | undefined = runtime.fetch;
    if (auth.type === 'oauth2-user') {
      strategy = createOAuth2UserStrategy({
        tokenUrl: auth.tokenUrl,
        clientId: auth.clientId,
        clientSecret: auth.clientSecret,
        accessToken: auth.accessToken,
        accessTokenExpiresAt: auth.accessTokenExpiresAt,
        refreshToken: auth.refreshToken,
        onTokens: auth.onTokens,
        fetch: baseFetch,
        timeoutMs: config.timeoutMs,
        allowInsecureHttp: config.allowInsecureHttp,
        redactor,
        now,
      });
    } else {
      // OAuth 1.0a signs each attempt's method and URL, so it lives in the fetch, not a header hook.
      for (const s of [auth.consumerSecret, auth.accessToken, auth.accessTokenSecret]) redactor.addSecret(s);
      fetch = oauth1Fetch(
        baseFetch,
        {
          consumerKey: auth.consumerKey,
          consumerSecret: auth.consumerSecret,
          token: auth.accessToken,
          tokenSecret: auth.accessTokenSecret,
        },
        now,
      );
    }
    const http = runtime.createHttpClient({
      baseUrl: config.baseUrl,
      ...(strategy && { auth: strategy }),
      ...(fetch && { fetch }),
      timeoutMs: config.timeoutMs,
      allowInsecureHttp: config.allowInsecureHttp,
      classifyError: createXErrorClassifier({
        now,
        onHeaders: (operation, headers) => operation && rateLimits.observe(operation, headers),
      }),
      requestIdHeaders: ['x-transaction-id', 'x-request-id'],
      // A 429 names its reset; waiting up to a whole window is what X asks for.
      retry: { maxRetryAfterMs: config.maxRateLimitWaitMs },
      // The retry's wait runs on the instance's clock, like the rate-limit gate's.
      sleep: config.sleep ?? sleep,
      now,
    });
    rateLimits.install(http, 'x');

    let me: Promise<{ id: string; username?: string | undefined }> | undefined;
    let username: string | undefined;
    const lookup = (signal?: AbortSignal) => {
      me ??= http
        .request({
          path: '/2/users/me',
          query: { 'user.fields': ['id', 'username'].join(',') },
          schema: WireMeResponse,
          operation: 'usersMe',
          ...(signal && { signal }),
        })
        .then((response) => {
          username = response.data.username;
          return response.data;
        });
      me.catch(() => {
        me = undefined;
      });
      return me;
    };
    return {
      http,
      config,
      rateLimits,
      now,
      userId: async (signal) => config.userId ?? (await lookup(signal)).id,
      username: () => username,
    };
  },
  async check(ctx, signal) {
    await ctx.http.request({ path: '/2/users/me', operation: 'check', ...(signal && { signal }) });
  },
  actions: { createPost, deletePost },
  streams: { posts, mentions },
});

/** A configured X connector. */
export type XConnector = ReturnType<typeof xConnector.create>;

/**
 * Creates an X connector instance; the config is validated (a ConfigError names the bad field)
 * and its credentials registered with the instance's redactor.
 */
export function createXConnector(config: XConfigInput, options?: ConnectorInstanceOptions): XConnector {
  return xConnector.create(config, options);
}
