import { randomUUID } from 'node:crypto';
import { ConfigError, type ConsentQuery } from '@hmi/core';
import { type AuditOutcome, createDeadLetterQueue } from '@hmi/flow';
import type { ApiKeys } from './auth/api-keys.js';
import { createAuthenticator } from './auth/authenticate.js';
import { hasScope } from './auth/scopes.js';
import type { GatewayClient } from './auth/types.js';
import { createStateStoreGatewayData } from './data/state-store-data.js';
import { readJsonBody } from './http/body.js';
import { createEventHub, type EventHub } from './http/events.js';
import { runIdempotent } from './http/idempotency.js';
import { fieldProblems, GatewayProblem, isGatewayProblem, problemResponse } from './http/problem.js';
import { createRateLimiter } from './http/rate-limit.js';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi/document.js';
import { renderReferencePage } from './openapi/reference-page.js';
import type { GatewayOptions } from './options.js';
import { auditRoutes, gatewayAuditPoint } from './routes/audit.js';
import { consentAllows, contactRoutes } from './routes/contacts.js';
import { deadLetterRoutes } from './routes/dead-letters.js';
import { integrationRoutes, pointVisible } from './routes/integrations.js';
import { messageRoutes } from './routes/messages.js';
import { systemRoutes } from './routes/system.js';
import type { GatewayDeps, RouteDef, RouteResult } from './routes/types.js';
import { EmptyQuery } from './schemas.js';

/** A gateway: a Fetch handler `(Request) => Promise<Response>` with its key manager and document. */
export interface Gateway {
  (request: Request): Promise<Response>;
  /** The same handler, for `export default { fetch: gateway.fetch }` runtimes and Hono's `mount`. */
  fetch(request: Request): Promise<Response>;
  /** Issue, rotate and revoke API keys (undefined when API keys are disabled). */
  readonly keys: ApiKeys;
  /** The OpenAPI 3.1 document served at `/openapi.json`. */
  readonly openapi: OpenApiDocument;
  /** The operations served: method, path template and operationId. */
  readonly routes: ReadonlyArray<{ method: string; path: string; operationId: string }>;
  /**
   * A consent check over the consents recorded through the gateway, to pass to messaging
   * connectors (`consent: { check: gateway.consentCheck }`). Needs `contactId`; fails closed.
   */
  consentCheck(query: ConsentQuery): Promise<boolean>;
  /** Open event streams. */
  readonly eventStreams: number;
  /** Ends event streams and stops listening to telemetry. */
  close(): Promise<void>;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const DAY = 24 * 60 * 60 * 1000;

/** A compiled route. */
interface Compiled {
  def: RouteDef;
  pattern: RegExp;
  names: string[];
}

function compile(def: RouteDef): Compiled {
  const names: string[] = [];
  const source = def.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}|\{(\w+)\}/g, (_m, a, b) => {
    names.push(a ?? b);
    return '([^/]+)';
  });
  return { def, pattern: new RegExp(`^${source}$`), names };
}

/**
 * Creates the gateway. Every request goes: route → authenticate (401) → rate limit (429) → scope
 * (403) → validate params, query, body (400/413/415) → Idempotency-Key (409/422 or the stored
 * response) → handler → audit record. Errors are RFC 9457 problems that never echo input.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const now = options.now ?? Date.now;
  const store = options.store;
  if (!store) throw new ConfigError('createGateway needs a store');
  const data = options.data ?? createStateStoreGatewayData(store, { now });
  const limits = options.limits ?? {};
  const maxBodyBytes = limits.maxBodyBytes ?? 64 * 1024;
  const maxPageSize = limits.maxPageSize ?? 100;
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  if (basePath && !basePath.startsWith('/')) throw new ConfigError('basePath must start with /');
  const idempotencyTtlMs = options.idempotencyTtlMs ?? DAY;
  const auth = createAuthenticator(options.auth, data, now);
  const limiter = createRateLimiter(limits.rateLimit ?? {}, now);
  const integrations = options.flow?.integrations ?? {};
  const telemetry = options.flow?.telemetry;

  const deps: GatewayDeps = {
    store,
    data,
    dlq: createDeadLetterQueue({
      store,
      ...(telemetry && { telemetry }),
      ...(options.flow?.onReplay && { onReplay: options.flow.onReplay }),
    }),
    telemetry,
    integrations,
    connectors: options.connectors ?? {},
    channels: options.channels ?? {},
    events: undefined as unknown as EventHub,
    now,
    defaultRegion: options.defaultRegion ?? 'SA',
    maxPageSize,
    leadTopic: options.flow?.leadTopic,
    onLead: options.flow?.onLead,
    consentAllows: async (contactId, channel, purpose) => consentAllows(await data.listConsents(contactId), channel, purpose),
  };
  deps.events = createEventHub({
    telemetry,
    perClient: limits.maxEventStreamsPerClient ?? 3,
    total: limits.maxEventStreams ?? 500,
    heartbeatMs: limits.heartbeatMs ?? 15_000,
    visible: (client, point) => pointVisible(deps, client, point),
  });

  const allowedOps = (scopes: ReadonlySet<string>) =>
    all
      .filter((r) =>
        r.allow
          ? scopes.has(r.scope ?? '') || [...scopes].some((s) => s.startsWith('integrations:run:'))
          : !r.scope || hasScope(scopes, r.scope),
      )
      .map((r) => r.operationId);
  const reported = {
    requestsPerWindow: limiter.limit,
    windowSeconds: limiter.windowMs / 1000,
    maxEventStreams: limits.maxEventStreamsPerClient ?? 3,
    maxPageSize,
    maxBodyBytes,
  };
  const every: RouteDef[] = [
    ...contactRoutes,
    ...messageRoutes,
    ...integrationRoutes,
    ...deadLetterRoutes(maxPageSize),
    ...auditRoutes(maxPageSize),
    ...systemRoutes(reported, (scopes) => allowedOps(scopes)),
  ];
  if (options.routes) {
    const unknown = options.routes.filter((id) => !every.some((r) => r.operationId === id));
    if (unknown.length) throw new ConfigError(`routes names unknown operations: ${unknown.join(', ')}`);
  }
  const all = options.routes ? every.filter((r) => options.routes!.includes(r.operationId)) : every;
  const compiled = all.map(compile);
  const document = buildOpenApiDocument(all, {
    ...options.info,
    basePath,
    ...(options.tokenUrl && { tokenUrl: options.tokenUrl }),
    schemes: {
      apiKeys: options.auth.apiKeys !== false,
      jwt: options.auth.jwt !== undefined,
      mtls: options.auth.mtls !== undefined,
    },
  });
  const documentJson = JSON.stringify(document);
  const referenceHtml = renderReferencePage(document, `${basePath}/openapi.json`);

  const parse = (schema: RouteDef['query'], value: unknown, where: string) => {
    const result = (schema ?? EmptyQuery).safeParse(value);
    if (!result.success) {
      throw new GatewayProblem('validation-failed', `the ${where} does not match the schema`, {
        errors: fieldProblems(result.error.issues, where === 'body' ? '' : `/${where}`),
      });
    }
    return result.data;
  };

  const mounts = Object.entries({
    ...options.mounts,
    ...(options.console && { '/console': consoleMount(`${basePath}/console`) }),
  });
  for (const [prefix] of mounts) {
    if (!/^\/[A-Za-z0-9._-]+$/.test(prefix) || prefix === '/v1')
      throw new ConfigError('a mount path is one segment such as /console');
  }

  const dispatch = async (request: Request, path: string, state: RequestState): Promise<Response> => {
    for (const [prefix, mounted] of mounts) {
      if (path === prefix || path.startsWith(`${prefix}/`)) {
        state.public = true;
        return mounted(request);
      }
    }
    if (request.method === 'GET' && path === '/openapi.json') {
      state.public = true;
      return new Response(documentJson, { headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' } });
    }
    if (request.method === 'GET' && (path === '/reference' || path === '/docs')) {
      state.public = true;
      return new Response(referenceHtml, {
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        },
      });
    }
    let params: Record<string, string> | undefined;
    const methods: string[] = [];
    let found: Compiled | undefined;
    for (const c of compiled) {
      const m = c.pattern.exec(path);
      if (!m) continue;
      methods.push(c.def.method);
      if (c.def.method !== request.method) continue;
      found = c;
      try {
        params = Object.fromEntries(c.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      } catch {
        throw new GatewayProblem('bad-request', 'a path segment is not valid');
      }
      break;
    }
    if (!found) {
      if (methods.length) throw new GatewayProblem('method-not-allowed', undefined, { headers: { allow: methods.join(', ') } });
      throw new GatewayProblem('route-not-found');
    }
    const def = found.def;
    state.route = def;
    const client = await auth.authenticate(request);
    state.client = client;
    const verdict = limiter.take(client.id);
    state.headers = verdict.headers;
    if (!verdict.allowed)
      throw new GatewayProblem('rate-limited', undefined, { headers: { 'retry-after': String(verdict.retryAfterSec) } });
    const permitted = def.allow ? def.allow(client, params!) : !def.scope || hasScope(client.scopes, def.scope);
    if (!permitted) {
      throw new GatewayProblem('insufficient-scope', undefined, {
        headers: { 'www-authenticate': `Bearer realm="hmi", error="insufficient_scope", scope="${def.scope ?? ''}"` },
      });
    }
    const parsedParams = def.params ? parse(def.params, params, 'path') : params;
    const url = new URL(request.url);
    const queryObject: Record<string, string> = {};
    for (const [k, v] of url.searchParams) {
      if (Object.hasOwn(queryObject, k))
        throw new GatewayProblem('validation-failed', 'a query parameter is repeated', {
          errors: [{ pointer: '/query', code: 'repeated_parameter' }],
        });
      queryObject[k] = v;
    }
    const query = parse(def.query, queryObject, 'query');
    let body: unknown;
    let raw: Uint8Array = new Uint8Array(0);
    if (def.body) {
      const read = await readJsonBody(request, maxBodyBytes);
      raw = read.raw;
      body = parse(def.body, read.value, 'body');
    } else if (request.body && def.method !== 'GET') {
      // Bodies on body-less operations are read (bounded) and must be empty or `{}`.
      const read =
        request.headers.get('content-length') === '0'
          ? undefined
          : await readJsonBody(request, maxBodyBytes).catch(() => undefined);
      if (read && !(typeof read.value === 'object' && read.value !== null && Object.keys(read.value).length === 0)) {
        throw new GatewayProblem('validation-failed', 'this operation takes no body', {
          errors: [{ pointer: '/', code: 'unexpected_body' }],
        });
      }
    }

    const rawKey = def.method === 'POST' ? request.headers.get('idempotency-key') : null;
    if (rawKey !== null && !IDEMPOTENCY_KEY.test(rawKey)) {
      throw new GatewayProblem('bad-request', 'Idempotency-Key must be 1-255 visible ASCII characters');
    }
    const idemKey = rawKey === null ? undefined : `${client.id}\u0000${rawKey}`;
    const ctx = {
      request,
      client,
      body,
      query,
      params: parsedParams,
      requestId: state.requestId,
      idempotencyKey: idemKey,
      recordIds: state.recordIds,
    };
    if (!idemKey) return toResponse(await def.handler(ctx, deps));

    const { response, replayed } = await runIdempotent({
      data,
      key: idemKey,
      method: def.method,
      path,
      rawBody: raw,
      ttlMs: idempotencyTtlMs,
      now,
      requestId: state.requestId,
      run: async () => toResponse(await def.handler(ctx, deps)),
    });
    state.replayed = replayed;
    return response;
  };

  const handle = async (request: Request): Promise<Response> => {
    const state: RequestState = { requestId: randomUUID(), recordIds: [], headers: {}, public: false, replayed: false };
    const started = performance.now();
    let response: Response;
    let problemSlug: string | undefined;
    try {
      const pathname = new URL(request.url).pathname;
      const inBase = !basePath || pathname === basePath || pathname.startsWith(`${basePath}/`);
      if (!inBase) throw new GatewayProblem('route-not-found');
      response = await dispatch(request, pathname.slice(basePath.length) || '/', state);
    } catch (error) {
      const problem = isGatewayProblem(error) ? error : new GatewayProblem('internal');
      if (!isGatewayProblem(error)) options.onError?.(error, state.requestId);
      problemSlug = problem.slug;
      response = problemResponse(problem, state.requestId, state.headers);
    }
    for (const [k, v] of Object.entries(state.headers)) if (!response.headers.has(k)) response.headers.set(k, v);
    const location = response.headers.get('location');
    if (basePath && location?.startsWith('/v1/')) response.headers.set('location', `${basePath}${location}`);
    response.headers.set('request-id', state.requestId);
    response.headers.set('x-content-type-options', 'nosniff');
    if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
    if (!state.public) {
      const outcome: AuditOutcome =
        response.status < 400 ? (state.replayed ? 'duplicate' : 'success') : response.status < 500 ? 'rejected' : 'failure';
      await store
        .appendAudit({
          at: now(),
          integrationPoint: gatewayAuditPoint(state.client?.facility),
          operation: state.route ? `gateway.${state.route.operationId}` : 'gateway.unmatched',
          recordIds: [...(state.client ? [`client:${state.client.id}`] : []), ...state.recordIds],
          outcome,
          trigger: 'api',
          ...(problemSlug !== undefined && { errorCode: problemSlug }),
          durationMs: Math.round(performance.now() - started),
          correlationId: state.requestId,
        })
        .catch((error: unknown) => options.onError?.(error, state.requestId));
    }
    return response;
  };

  const gateway = handle as Gateway;
  Object.defineProperties(gateway, {
    fetch: { value: handle },
    keys: { get: () => auth.keys },
    openapi: { value: document },
    routes: { value: all.map((r) => ({ method: r.method, path: r.path, operationId: r.operationId })) },
    consentCheck: {
      value: async (query: ConsentQuery) =>
        query.contactId === undefined ? false : deps.consentAllows(query.contactId, query.channel, query.purpose),
    },
    eventStreams: { get: () => deps.events.count() },
    close: { value: async () => deps.events.close() },
  });
  return gateway;
}

interface RequestState {
  requestId: string;
  recordIds: string[];
  headers: Record<string, string>;
  public: boolean;
  replayed: boolean;
  route?: RouteDef;
  client?: GatewayClient;
}

/**
 * The console's handler, loaded on its first request: `@hmi/console` is an optional peer, so a
 * gateway without `console: true` never loads it, and one without the package installed fails
 * only there (a 500 whose cause goes to `onError`).
 */
function consoleMount(path: string): (request: Request) => Promise<Response> {
  let handler: Promise<(request: Request) => Promise<Response>> | undefined;
  return async (request) => {
    handler ??= import('@hmi/console').then(
      (module) => module.createConsoleHandler({ path }),
      (error: unknown) => {
        handler = undefined;
        throw new ConfigError('console: true needs the @hmi/console package installed', { cause: error });
      },
    );
    return (await handler)(request);
  };
}

function toResponse(result: RouteResult): Response {
  if (result instanceof Response) return result;
  return new Response(result.status === 204 ? null : JSON.stringify(result.body), {
    status: result.status,
    headers: { ...(result.status !== 204 && { 'content-type': 'application/json' }), ...result.headers },
  });
}
