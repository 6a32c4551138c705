import { type HttpHandler, HttpResponse, http } from 'msw';
import { GRAPH_DEFAULT_BASE_URL, GRAPH_DEFAULT_VERSION } from '../graph/client.js';
import type { WireLead } from '../leads/lead-model.js';
import type { WireAdObject, WireInsight } from '../campaigns/marketing-model.js';
import type { WirePost } from '../pages/posts-stream.js';
import {
  campaignFixtures,
  commentFixture,
  FIXTURE_IDS,
  insightsFixtures,
  leadFixture,
  pageInsightsFixture,
  postFixtures,
} from './fixtures.js';

/** Options of {@link createFakeGraphApi}. */
export interface FakeGraphApiOptions {
  /** Default `https://graph.facebook.com` (MSW intercepts it; nothing goes out). */
  baseUrl?: string;
  /** Default the connector's pinned version. */
  graphVersion?: string;
  /** When set, any other bearer token gets error 190. */
  accessToken?: string;
  /**
   * The most items the fake answers per page, whatever `limit` asks (Graph caps it per edge), so a
   * test can page through the fixtures with any connector config. Default 500; a request without
   * `limit` gets 25.
   */
  pageSize?: number;
  /** The origin written into `paging.next` links. Default `baseUrl`'s (set another to test refusal). */
  nextOrigin?: string;
  /** The app id the token exchange accepts. Default {@link FIXTURE_IDS}.appId. */
  appId?: string;
  /** When set, the token exchange refuses any other app secret (Graph error 1, as Meta answers). */
  appSecret?: string;
  /** The Page token the exchange hands out. Default `accessToken`, so a new instance with it works here. */
  pageAccessToken?: string;
  /** Stamps each recorded request with this clock (`at`): tests see when a retry went out. */
  now?: () => number;
}

/** A request the fake received. */
export interface FakeGraphRequest {
  method: string;
  /** The path below the version, e.g. `act_1/insights`. */
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown> | undefined;
  authorization: string | null;
  /** The `now` option's time when the request arrived. */
  at?: number;
}

/** An injected Graph error. */
export interface FakeGraphError {
  code: number;
  subcode?: number;
  /** HTTP status. Default 400 (403 for 4/17/32/613, 401 for 190, as Meta answers). */
  status?: number;
  /** Extra headers, e.g. `x-business-use-case-usage`. */
  headers?: Record<string, string>;
}

/** The fake's state, for assertions and steering. Private to one {@link createFakeGraphApi} call. */
export interface FakeGraphState {
  readonly leads: Map<string, WireLead>;
  readonly campaigns: Map<string, WireAdObject>;
  readonly insights: WireInsight[];
  readonly posts: Map<string, WirePost>;
  readonly comments: Map<string, Array<Record<string, unknown>>>;
  readonly requests: FakeGraphRequest[];
  /** Long-lived user tokens the exchange issued: they may read Page tokens. */
  readonly userTokens: Set<string>;
  /** Headers added to every answer, e.g. `x-app-usage`. */
  usageHeaders: Record<string, string>;
  /** The next `count` requests get this Graph error. */
  failNext(error: FakeGraphError, count?: number): void;
}

/** A fake Graph API: the fake and its MSW handlers. */
export interface FakeGraphApi {
  handlers: HttpHandler[];
  state: FakeGraphState;
}

const cursorOf = (index: number) => Buffer.from(`pos:${index}`).toString('base64url');
function positionOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return 0;
  const match = /^pos:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/**
 * A fake of the Graph endpoints the Meta connector uses, for MSW: leads, campaigns/ad sets/ads and
 * insights of the fixture ad account, Page posts, comments, Instagram media. Lists page like Graph
 * (`paging.cursors.after` and a `paging.next` link carrying `access_token`, as Meta's do); errors
 * carry Graph's `{ error: { code, error_subcode, fbtrace_id } }` body. Written from Meta's Graph
 * and Marketing API docs; its fixtures are checked against Meta's own specs in the tests.
 */
export function createFakeGraphApi(options: FakeGraphApiOptions = {}): FakeGraphApi {
  const origin = new URL(options.baseUrl ?? GRAPH_DEFAULT_BASE_URL).origin;
  const version = options.graphVersion ?? GRAPH_DEFAULT_VERSION;
  const nextOrigin = options.nextOrigin ? new URL(options.nextOrigin).origin : origin;
  const failures: FakeGraphError[] = [];
  let sequence = 0;
  const newId = () => `${Date.now()}${String(++sequence).padStart(4, '0')}`;
  const state: FakeGraphState = {
    leads: new Map([[leadFixture().id, leadFixture()]]),
    campaigns: new Map(campaignFixtures().map((c) => [c.id, c])),
    insights: insightsFixtures(),
    posts: new Map(postFixtures().map((p) => [p.id, p])),
    comments: new Map([[postFixtures()[0]!.id, [commentFixture()]]]),
    requests: [],
    userTokens: new Set(),
    usageHeaders: {},
    failNext(error, count = 1) {
      for (let i = 0; i < count; i++) failures.push(error);
    },
  };

  const answer = (body: unknown, status = 200, extra: Record<string, string> = {}) =>
    HttpResponse.json(body as Record<string, unknown>, {
      status,
      headers: { 'x-fb-trace-id': `Fk${sequence}`, ...state.usageHeaders, ...extra },
    });
  const graphError = (e: FakeGraphError) => {
    const throttle = [4, 17, 32, 613].includes(e.code) || (e.code >= 80_000 && e.code < 80_100);
    const status = e.status ?? (e.code === 190 ? 401 : throttle ? 403 : 400);
    return answer(
      {
        error: {
          message: `(#${e.code}) fake error`,
          type: 'OAuthException',
          code: e.code,
          ...(e.subcode && { error_subcode: e.subcode }),
          fbtrace_id: `Fk${e.code}`,
        },
      },
      status,
      e.headers,
    );
  };

  const pageToken = options.pageAccessToken ?? options.accessToken ?? 'EAAGfakePageToken0000000000000001';
  // Meta's exchange: `grant_type=fb_exchange_token`, the app's id and secret, the short-lived token.
  const exchange = (params: Record<string, string>) => {
    if (params.grant_type !== 'fb_exchange_token' || !params.fb_exchange_token) return graphError({ code: 100 });
    if (params.client_id !== (options.appId ?? FIXTURE_IDS.appId)) return graphError({ code: 101 });
    if (!params.client_secret || (options.appSecret && params.client_secret !== options.appSecret)) {
      return graphError({ code: 1 });
    }
    const userToken = `EAAGlongLivedUser${newId()}`;
    state.userTokens.add(userToken);
    return answer({ access_token: userToken, token_type: 'bearer', expires_in: 5_183_944 });
  };

  const list = <T>(path: string, query: Record<string, string>, items: T[], token: string | null) => {
    const start = positionOf(query.after);
    if (start === undefined) return graphError({ code: 100 });
    // Graph caps `limit` per edge and may answer fewer items than asked: `pageSize` is that cap.
    const limit = Math.min(Math.max(Number(query.limit) || 25, 1), options.pageSize ?? 500, 500);
    const data = items.slice(start, start + limit);
    const end = start + data.length;
    const paging: Record<string, unknown> = { cursors: { before: cursorOf(start), after: cursorOf(end) } };
    if (end < items.length) {
      const next = new URL(`${nextOrigin}/${version}/${path}`);
      for (const [k, v] of Object.entries(query)) if (k !== 'after') next.searchParams.set(k, v);
      if (token) next.searchParams.set('access_token', token);
      next.searchParams.set('after', cursorOf(end));
      paging.next = next.toString();
    }
    return answer({ data, ...(data.length > 0 && { paging }) });
  };

  const handler = http.all(`${origin}/${version}/*`, async ({ request }) => {
    const url = new URL(request.url);
    const path = url.pathname.slice(`/${version}/`.length);
    const query = Object.fromEntries(url.searchParams);
    const text = request.method === 'GET' || request.method === 'DELETE' ? '' : await request.text();
    let body: Record<string, unknown> | undefined;
    try {
      const form = (request.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded');
      body = !text
        ? undefined
        : form
          ? Object.fromEntries(new URLSearchParams(text))
          : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      return graphError({ code: 100 });
    }
    const authorization = request.headers.get('authorization');
    state.requests.push({
      method: request.method,
      path,
      query,
      body,
      authorization,
      ...(options.now && { at: options.now() }),
    });
    const failure = failures.shift();
    if (failure) return graphError(failure);
    if (path === 'oauth/access_token') return exchange({ ...query, ...(body as Record<string, string> | undefined) });
    const token = authorization?.replace(/^Bearer /, '') ?? null;
    if (token && state.userTokens.has(token) && request.method === 'GET') {
      // A long-lived user token reads Page tokens: `/<page id>?fields=access_token` or `/me/accounts`.
      if (path === FIXTURE_IDS.pageId) return answer({ id: FIXTURE_IDS.pageId, access_token: pageToken });
      if (path === 'me/accounts') return list(path, query, [{ id: FIXTURE_IDS.pageId, access_token: pageToken }], token);
      return graphError({ code: 100, subcode: 33 });
    }
    if (!token || (options.accessToken && token !== options.accessToken)) return graphError({ code: 190, subcode: 463 });
    if (path === '' && request.method === 'POST' && Array.isArray(body?.batch)) {
      // Graph's batch: each item answered on its own ({ code, body }), reads of known objects only.
      const items = (body.batch as Array<{ method?: string; relative_url?: string }>).slice(0, 50).map((item) => {
        const id = String(item.relative_url ?? '').split('?')[0] ?? '';
        const found = item.method === 'GET' ? (state.leads.get(id) ?? state.campaigns.get(id) ?? state.posts.get(id)) : undefined;
        if (found) return { code: 200, body: JSON.stringify(found) };
        return {
          code: 400,
          body: JSON.stringify({ error: { code: 100, error_subcode: 33, message: 'fake', fbtrace_id: 'FkB' } }),
        };
      });
      return answer(items as unknown as Record<string, unknown>);
    }
    const [first = '', edge, ...rest] = path.split('/');
    if (rest.length > 0) return graphError({ code: 100 });
    const m = request.method;
    if (first === 'me' && !edge) return answer({ id: FIXTURE_IDS.pageId });
    if (first === FIXTURE_IDS.adAccountId && edge) {
      if (edge === 'insights' && m === 'GET') return list(path, query, state.insights, token);
      if (edge === 'campaigns' && m === 'GET') return list(path, query, [...state.campaigns.values()], token);
      if ((edge === 'adsets' || edge === 'ads') && m === 'GET') return list(path, query, [], token);
      if (edge === 'campaigns' && m === 'POST') {
        if (typeof body?.name !== 'string' || typeof body.objective !== 'string') return graphError({ code: 100 });
        const id = `2385${newId()}`;
        state.campaigns.set(id, { id, name: body.name, status: String(body.status ?? 'ACTIVE'), objective: body.objective });
        return answer({ id });
      }
    }
    if (first === FIXTURE_IDS.pageId && edge === 'insights' && m === 'GET') {
      const wanted = new Set((query.metric ?? '').split(','));
      return answer({ data: pageInsightsFixture().filter((r) => wanted.has(r.name)) });
    }
    if (first === FIXTURE_IDS.pageId && edge === 'published_posts' && m === 'GET') {
      return list(path, query, [...state.posts.values()], token);
    }
    if (first === FIXTURE_IDS.pageId && (edge === 'feed' || edge === 'photos') && m === 'POST') {
      if (edge === 'photos' && typeof body?.url !== 'string') return graphError({ code: 100 });
      const postId = `${FIXTURE_IDS.pageId}_${newId()}`;
      const scheduled = typeof body?.scheduled_publish_time === 'number' ? body.scheduled_publish_time : undefined;
      state.posts.set(postId, {
        id: postId,
        ...(typeof body?.message === 'string' && { message: body.message }),
        is_published: scheduled === undefined,
        ...(scheduled !== undefined && { scheduled_publish_time: scheduled }),
      });
      return answer(edge === 'photos' ? { id: newId(), post_id: postId } : { id: postId });
    }
    if (first === FIXTURE_IDS.instagramAccountId && edge === 'media' && m === 'POST') {
      if (typeof body?.image_url !== 'string') return graphError({ code: 100 });
      return answer({ id: `1790${newId()}` });
    }
    if (first === FIXTURE_IDS.instagramAccountId && edge === 'media_publish' && m === 'POST') {
      if (typeof body?.creation_id !== 'string') return graphError({ code: 100 });
      return answer({ id: `1789${newId()}` });
    }
    if (edge === 'comments') {
      if (m === 'GET') return list(path, query, state.comments.get(first) ?? [], token);
      if (m === 'POST') {
        if (typeof body?.message !== 'string') return graphError({ code: 100 });
        const id = `${first.split('_')[0]}_${newId()}`;
        state.comments.set(first, [...(state.comments.get(first) ?? []), { id, message: body.message }]);
        return answer({ id });
      }
    }
    if (!edge) {
      if (m === 'GET' && state.leads.has(first)) return answer(state.leads.get(first));
      if (m === 'GET' && state.campaigns.has(first)) return answer(state.campaigns.get(first));
      if (m === 'GET' && state.posts.has(first)) return answer(state.posts.get(first));
      if (m === 'POST' && state.campaigns.has(first)) {
        if (body?.status !== 'PAUSED' && body?.status !== 'ACTIVE') return graphError({ code: 100 });
        const c = state.campaigns.get(first)!;
        state.campaigns.set(first, { ...c, status: body.status, effective_status: body.status });
        return answer({ success: true });
      }
      if (m === 'DELETE' && state.posts.has(first)) {
        state.posts.delete(first);
        return answer({ success: true });
      }
    }
    // Graph answers an unknown object id with code 100, subcode 33.
    return graphError({ code: 100, subcode: 33 });
  });
  return { handlers: [handler], state };
}
