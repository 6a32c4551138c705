import { type HttpHandler, HttpResponse, http } from 'msw';
import { oauth1BaseString, oauth1Signature } from '../auth/oauth1.js';
import { X_DEFAULT_BASE_URL, X_DEFAULT_TOKEN_URL } from '../x-config.js';
import {
  type FakeXPost,
  type FakeXUser,
  xAccountFixture,
  xMentionAuthorsFixture,
  xMentionsFixture,
  xPostsFixture,
} from './fixtures.js';

/** Options of {@link createFakeXApi}. */
export interface FakeXApiOptions {
  /** Default the production origin (MSW intercepts it; nothing goes out). */
  baseUrl?: string;
  /** Default X's token endpoint. */
  tokenUrl?: string;
  /** OAuth 2.0: the client the token endpoint accepts. */
  oauth2?: { clientId: string; clientSecret?: string; accessTokens?: string[]; refreshToken?: string };
  /** OAuth 1.0a: the credentials whose signatures the fake verifies. */
  oauth1?: { consumerKey: string; consumerSecret: string; token: string; tokenSecret: string };
  /** The fake's clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Access-token lifetime the token endpoint grants, seconds. Default 7200. */
  accessTokenLifetimeSec?: number;
}

/** A request the fake received. */
export interface FakeXRequest {
  method: string;
  /** Path and query. */
  path: string;
  body: unknown;
  authorization: string | null;
}

/** The fake's state, for assertions and for steering it. Private to one {@link createFakeXApi} call. */
export interface FakeXState {
  readonly account: FakeXUser;
  /** The account's posts, newest first. */
  readonly posts: FakeXPost[];
  /** Mentions of the account, newest first. */
  readonly mentions: FakeXPost[];
  readonly requests: FakeXRequest[];
  /** Access tokens currently valid, with their expiry (epoch ms). */
  readonly accessTokens: Map<string, number>;
  /** The refresh token that works now (X rotates it on every use). */
  refreshToken: string | undefined;
  /** Token endpoint calls made. */
  readonly refreshes: number;
  /** The next `count` API requests get `status` with an X problem body. */
  failNext(status: number, count?: number): void;
  /** Sets an endpoint's window (`posts`, `mentions`, `createPost`, `deletePost`, `usersMe`): remaining calls and reset (Unix s). */
  setRateLimit(endpoint: string, remaining: number, resetSec: number): void;
  /** Adds a mention (newest). */
  mention(text: string, authorIndex?: number): FakeXPost;
}

const problem = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  HttpResponse.json({ status, ...body }, { status, headers: { 'content-type': 'application/problem+json', ...headers } });

/** The bodies X sends; only some of them are in its published description (see the README). */
export const X_PROBLEMS = {
  unauthorized: { title: 'Unauthorized', type: 'about:blank', detail: 'Unauthorized' },
  duplicate: { title: 'Forbidden', type: 'about:blank', detail: 'You are not allowed to create a Tweet with duplicate content.' },
  tooMany: { title: 'Too Many Requests', type: 'about:blank', detail: 'Too Many Requests' },
  unavailable: { title: 'Service Unavailable', type: 'about:blank', detail: 'Service Unavailable' },
} as const;

const cursorOf = (index: number) => Buffer.from(`pos:${index}`).toString('base64url');
const positionOf = (token: string | null): number | undefined => {
  if (token === null) return 0;
  const match = /^pos:(\d{1,6})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
};

/** Parses `OAuth k="v", …` into its parameters (decoded). */
function parseOAuthHeader(header: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of header.slice(6).split(',')) {
    const match = /^\s*([a-z_]+)="([^"]*)"\s*$/.exec(part);
    if (match) params.set(match[1]!, decodeURIComponent(match[2]!));
  }
  return params;
}

/**
 * A fake X API v2 for MSW, written from X's OpenAPI description and docs: OAuth 2.0 bearer tokens
 * with a refresh-token-rotating token endpoint, or OAuth 1.0a signatures it verifies; create,
 * delete, `/2/users/me`, the account's posts and mentions with `since_id`, `max_results` and
 * `pagination_token`; rate-limit headers and 429s; duplicate-content 403s; injected failures.
 */
export function createFakeXApi(options: FakeXApiOptions = {}): { handlers: HttpHandler[]; state: FakeXState } {
  const base = (options.baseUrl ?? X_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const lifetime = options.accessTokenLifetimeSec ?? 7200;
  const account = xAccountFixture();
  const users = new Map([account, ...xMentionAuthorsFixture()].map((u) => [u.id, u]));
  const failures: number[] = [];
  const limits = new Map<string, { remaining: number; reset: number }>();
  let counter = 0;
  let nextId = 1900000000000000001n;
  const state: FakeXState = {
    account,
    posts: xPostsFixture(),
    mentions: xMentionsFixture(),
    requests: [],
    accessTokens: new Map((options.oauth2?.accessTokens ?? []).map((t) => [t, Number.MAX_SAFE_INTEGER])),
    refreshToken: options.oauth2?.refreshToken,
    refreshes: 0,
    failNext(status, count = 1) {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    setRateLimit(endpoint, remaining, resetSec) {
      limits.set(endpoint, { remaining, reset: resetSec });
    },
    mention(text, authorIndex = 0) {
      const author = xMentionAuthorsFixture()[authorIndex] ?? xMentionAuthorsFixture()[0]!;
      const id = String(nextId++);
      const post: FakeXPost = { id, text, author_id: author.id, created_at: new Date(now()).toISOString(), conversation_id: id };
      state.mentions.unshift(post);
      return post;
    },
  };

  const authorized = (request: Request): boolean => {
    const header = request.headers.get('authorization') ?? '';
    if (header.startsWith('Bearer ')) {
      const expiry = state.accessTokens.get(header.slice(7));
      return expiry !== undefined && expiry > now();
    }
    if (header.startsWith('OAuth ') && options.oauth1) {
      const params = parseOAuthHeader(header);
      const creds = options.oauth1;
      if (params.get('oauth_consumer_key') !== creds.consumerKey || params.get('oauth_token') !== creds.token) return false;
      const expected = oauth1Signature(
        oauth1BaseString({ method: request.method, url: request.url }, [...params]),
        creds.consumerSecret,
        creds.tokenSecret,
      );
      return params.get('oauth_signature') === expected;
    }
    return false;
  };

  /** Records, authenticates, applies rate limits and injected failures; answers when it refuses. */
  const gate = (request: Request, endpoint: string, body: unknown) => {
    const url = new URL(request.url);
    state.requests.push({
      method: request.method,
      path: url.pathname + url.search,
      body,
      authorization: request.headers.get('authorization'),
    });
    const limit = limits.get(endpoint);
    const headers: Record<string, string> = limit
      ? {
          'x-rate-limit-limit': '300',
          'x-rate-limit-remaining': String(limit.remaining),
          'x-rate-limit-reset': String(limit.reset),
        }
      : {};
    if (!authorized(request)) return { refused: problem(401, X_PROBLEMS.unauthorized), headers };
    if (limit && limit.remaining <= 0 && now() < limit.reset * 1000)
      return { refused: problem(429, X_PROBLEMS.tooMany, headers), headers };
    if (limit && limit.remaining > 0) {
      limit.remaining--;
      headers['x-rate-limit-remaining'] = String(limit.remaining);
    }
    const failure = failures.shift();
    if (failure !== undefined) return { refused: problem(failure, X_PROBLEMS.unavailable, headers), headers };
    return { refused: undefined, headers };
  };

  const token = http.post(options.tokenUrl ?? X_DEFAULT_TOKEN_URL, async ({ request }) => {
    (state as { refreshes: number }).refreshes++;
    const form = new URLSearchParams(await request.text());
    const client = options.oauth2;
    const basic = request.headers.get('authorization');
    const clientOk = client?.clientSecret
      ? basic === `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`
      : form.get('client_id') === client?.clientId;
    const given = form.get('refresh_token');
    if (!clientOk || form.get('grant_type') !== 'refresh_token' || !given || given !== state.refreshToken) {
      return HttpResponse.json(
        { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' },
        { status: 400 },
      );
    }
    counter++;
    const access = `fake-x-access-${counter}-${Math.random().toString(36).slice(2, 10)}`;
    state.refreshToken = `fake-x-refresh-${counter}-${Math.random().toString(36).slice(2, 10)}`;
    state.accessTokens.set(access, now() + lifetime * 1000);
    return HttpResponse.json({
      token_type: 'bearer',
      expires_in: lifetime,
      access_token: access,
      scope: 'tweet.read tweet.write users.read offline.access',
      refresh_token: state.refreshToken,
    });
  });

  const me = http.get(`${base}/2/users/me`, ({ request }) => {
    const { refused, headers } = gate(request, 'usersMe', undefined);
    return refused ?? HttpResponse.json({ data: account }, { headers });
  });

  const create = http.post(`${base}/2/tweets`, async ({ request }) => {
    let json: { text?: unknown; reply?: { in_reply_to_tweet_id?: unknown } } | undefined;
    try {
      json = JSON.parse(await request.text());
    } catch {
      json = undefined;
    }
    const { refused, headers } = gate(request, 'createPost', json);
    if (refused) return refused;
    if (typeof json?.text !== 'string' || json.text.length === 0) {
      return problem(400, {
        type: 'https://api.x.com/2/problems/invalid-request',
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
      });
    }
    if (state.posts.some((p) => p.text === json!.text)) return problem(403, X_PROBLEMS.duplicate, headers);
    const id = String(nextId++);
    const replyTo = json.reply?.in_reply_to_tweet_id;
    state.posts.unshift({
      id,
      text: json.text,
      author_id: account.id,
      created_at: new Date(now()).toISOString(),
      conversation_id: typeof replyTo === 'string' ? replyTo : id,
      public_metrics: { repost_count: 0, reply_count: 0, like_count: 0, quote_count: 0, bookmark_count: 0, impression_count: 0 },
    });
    return HttpResponse.json({ data: { id, text: json.text, edit_history_post_ids: [id] } }, { status: 201, headers });
  });

  const remove = http.delete(`${base}/2/tweets/:id`, ({ request, params }) => {
    const { refused, headers } = gate(request, 'deletePost', undefined);
    if (refused) return refused;
    const at = state.posts.findIndex((p) => p.id === params.id);
    if (at < 0) {
      return problem(404, {
        type: 'https://api.x.com/2/problems/resource-not-found',
        title: 'Not Found Error',
        detail: `Could not find post with id: [${String(params.id)}].`,
        resource_type: 'post',
        parameter: 'id',
        value: String(params.id),
      });
    }
    state.posts.splice(at, 1);
    return HttpResponse.json({ data: { deleted: true } }, { headers });
  });

  const timeline = (endpoint: 'posts' | 'mentions', list: () => FakeXPost[]) => {
    return ({ request }: { request: Request }) => {
      const { refused, headers } = gate(request, endpoint, undefined);
      if (refused) return refused;
      const q = new URL(request.url).searchParams;
      const max = Number(q.get('max_results') ?? 10);
      const start = positionOf(q.get('pagination_token'));
      if (!Number.isInteger(max) || max < 5 || max > 100 || start === undefined) {
        return problem(400, {
          type: 'https://api.x.com/2/problems/invalid-request',
          title: 'Invalid Request',
          detail: 'One or more parameters to your request was invalid.',
        });
      }
      const since = q.get('since_id');
      const startTime = q.get('start_time');
      const fields = new Set((q.get('post.fields') ?? q.get('tweet.fields') ?? '').split(',').filter(Boolean));
      const expand = (q.get('expansions') ?? '').split(',').includes('author_id');
      const matching = list().filter(
        (p) => (since === null || BigInt(p.id) > BigInt(since)) && (startTime === null || p.created_at >= startTime),
      );
      const page = matching.slice(start, start + max);
      const data = page.map((p) => ({
        id: p.id,
        text: p.text,
        edit_history_post_ids: [p.id],
        ...(expand && { author_id: p.author_id }),
        ...(fields.has('created_at') && { created_at: p.created_at }),
        ...(fields.has('lang') && p.lang && { lang: p.lang }),
        ...(fields.has('conversation_id') && p.conversation_id && { conversation_id: p.conversation_id }),
        ...(fields.has('public_metrics') && p.public_metrics && { public_metrics: p.public_metrics }),
      }));
      const authors = [...new Set(page.map((p) => p.author_id))].flatMap((id) => {
        const user = users.get(id);
        return user ? [{ id: user.id, name: user.name, username: user.username }] : [];
      });
      const end = start + page.length;
      return HttpResponse.json(
        {
          ...(data.length > 0 && { data }),
          ...(expand && authors.length > 0 && { includes: { users: authors } }),
          meta: {
            result_count: data.length,
            ...(data.length > 0 && { newest_id: data[0]!.id, oldest_id: data[data.length - 1]!.id }),
            ...(end < matching.length && { next_token: cursorOf(end) }),
          },
        },
        { headers },
      );
    };
  };

  const posts = http.get(
    `${base}/2/users/:id/tweets`,
    timeline('posts', () => state.posts),
  );
  const mentions = http.get(
    `${base}/2/users/:id/mentions`,
    timeline('mentions', () => state.mentions),
  );
  return { handlers: [token, me, create, remove, posts, mentions], state };
}
