// Long-lived Page tokens through the public API: the exchange and the Page token read, with the app
// secret and every token kept out of URLs, telemetry and errors.
import { createMetaConnector } from '@hmi/connector-meta';
import { createFakeGraphApi, FIXTURE_IDS } from '@hmi/connector-meta/msw';
import { AuthError, ConfigError, createTelemetry } from '@hmi/core';
import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';

const PAGE_TOKEN = 'EAAG_instance_CANARY_page_0001';
const APP_SECRET = 'appsecret_CANARY_tokens_77c1';
const SHORT = 'EAAGshort_CANARY_user_token_42';
const url = 'https://graph.facebook.com';

function setup(fakeOptions: Parameters<typeof createFakeGraphApi>[0] = {}) {
  const fake = createFakeGraphApi({ accessToken: PAGE_TOKEN, appSecret: APP_SECRET, ...fakeOptions });
  const server = setupServer(...fake.handlers);
  server.listen({ onUnhandledRequest: 'error' });
  const urls: string[] = [];
  const bodies: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    urls.push(request.url);
    bodies.push(await request.clone().text());
    return globalThis.fetch(request);
  };
  const telemetry = createTelemetry();
  const seen: string[] = [];
  telemetry.onAny((name: string, payload: unknown) => seen.push(`${name} ${JSON.stringify(payload)}`));
  return { fake, server, urls, bodies, fetch, telemetry, seen };
}

describe('getLongLivedPageToken', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it('exchanges the user token (POST body), reads the Page token, and leaks no secret', async () => {
    const h = setup();
    close = () => h.server.close();
    const meta = createMetaConnector(
      { accessToken: PAGE_TOKEN, appId: FIXTURE_IDS.appId, appSecret: APP_SECRET, pageId: FIXTURE_IDS.pageId, baseUrl: url },
      { fetch: h.fetch, telemetry: h.telemetry },
    );
    const result = await meta.actions.getLongLivedPageToken({ shortLivedUserToken: SHORT });
    expect(result.pages).toEqual([{ pageId: FIXTURE_IDS.pageId, accessToken: PAGE_TOKEN }]);
    expect(h.fake.state.userTokens.has(result.userToken)).toBe(true);
    expect(result.userTokenExpiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const [exchange, page] = h.fake.state.requests;
    expect(exchange).toMatchObject({
      method: 'POST',
      path: 'oauth/access_token',
      query: {},
      body: {
        grant_type: 'fb_exchange_token',
        client_id: FIXTURE_IDS.appId,
        client_secret: APP_SECRET,
        fb_exchange_token: SHORT,
      },
      authorization: null, // the instance's token is not sent along
    });
    expect(page).toMatchObject({ method: 'GET', path: FIXTURE_IDS.pageId, authorization: `Bearer ${result.userToken}` });
    for (const u of h.urls) for (const s of [APP_SECRET, SHORT, result.userToken, PAGE_TOKEN]) expect(u).not.toContain(s);
    expect(h.bodies[0]).toContain('client_secret='); // in the body, where it belongs
    const all = h.seen.join('\n');
    expect(all).toContain('getLongLivedPageToken');
    for (const s of [APP_SECRET, SHORT, result.userToken, PAGE_TOKEN]) expect(all).not.toContain(s);

    // The new token works as an instance's accessToken.
    const withPageToken = createMetaConnector({ accessToken: result.pages[0]!.accessToken, baseUrl: url }, { fetch: h.fetch });
    await withPageToken.check();
  });

  it('lists every managed Page through /me/accounts when no Page is named', async () => {
    const h = setup();
    close = () => h.server.close();
    const meta = createMetaConnector(
      { accessToken: PAGE_TOKEN, appId: FIXTURE_IDS.appId, appSecret: APP_SECRET, baseUrl: url },
      { fetch: h.fetch },
    );
    const result = await meta.actions.getLongLivedPageToken({ shortLivedUserToken: SHORT });
    expect(result.pages.map((p) => p.pageId)).toEqual([FIXTURE_IDS.pageId]);
    expect(h.fake.state.requests.map((r) => r.path)).toEqual(['oauth/access_token', 'me/accounts']);
  });

  it('a refused app secret is AuthError invalid_client, sent once, the secret in no error', async () => {
    const h = setup({ appSecret: 'the-real-secret-1234' });
    close = () => h.server.close();
    const meta = createMetaConnector(
      { accessToken: PAGE_TOKEN, appId: FIXTURE_IDS.appId, appSecret: APP_SECRET, pageId: FIXTURE_IDS.pageId, baseUrl: url },
      { fetch: h.fetch, telemetry: h.telemetry },
    );
    const error = await meta.actions.getLongLivedPageToken({ shortLivedUserToken: SHORT }).catch((e: unknown) => e);
    expect(AuthError.isInstance(error)).toBe(true);
    expect((error as AuthError).code).toBe('invalid_client');
    expect(h.fake.state.requests).toHaveLength(1);
    const text = `${String(error)} ${JSON.stringify((error as AuthError).toJSON())} ${(error as Error).stack} ${h.seen.join('\n')}`;
    for (const s of [APP_SECRET, SHORT, PAGE_TOKEN]) expect(text).not.toContain(s);
  });

  it('without appId and appSecret: ConfigError, no request', async () => {
    const h = setup();
    close = () => h.server.close();
    const meta = createMetaConnector({ accessToken: PAGE_TOKEN, baseUrl: url }, { fetch: h.fetch });
    const error = await meta.actions.getLongLivedPageToken({ shortLivedUserToken: SHORT }).catch((e: unknown) => e);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect(h.urls).toEqual([]);
  });
});
