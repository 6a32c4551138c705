import { getResponse, HttpResponse, http, type RequestHandler } from 'msw';
import { type SetupServer, setupServer } from 'msw/node';
import { captureRequest, captureResponse } from './capture.js';
import { isFault, waitAbortable } from './faults.js';
import { compileRoute, type CompiledRoute } from './route-matcher.js';
import type { CapturedCall, CapturedResponse, ReplySpec, ResponseStep, RouteDefinition, RouteHandle } from './types.js';

/** What to do with a request no route or handler answers. */
export type UnhandledRequestMode = 'error' | 'warn' | 'bypass';

/** Options of {@link createTestServer}. */
export interface TestServerOptions {
  /**
   * The origin (and optional base path) routes are relative to, and what a connector's config
   * should point at. Default `https://api.hmi.test`. https is fine: nothing listens, MSW
   * intercepts `fetch` inside the process.
   */
  baseUrl?: string;
  /** Routes that survive `reset()` (their sequences restart). */
  routes?: RouteDefinition[];
  /** Plain MSW handlers (e.g. a connector's `./msw` export), tried after the routes. */
  handlers?: RequestHandler[];
  /**
   * A request nothing answers: `error` (default) records it in `unhandled`, prints it and fails
   * the client's fetch with a network error, so a connector that calls the wrong URL fails its
   * test; `warn` prints and lets it through to the network; `bypass` lets it through silently.
   */
  onUnhandledRequest?: UnhandledRequestMode;
}

/** An in-process HTTP server for tests, built on MSW. See {@link createTestServer}. */
export interface TestServer {
  /** The base URL, without trailing slash. */
  readonly baseUrl: string;
  /** Every request since the last reset, in order (unhandled ones included). */
  readonly calls: readonly CapturedCall[];
  /** Requests nothing answered. */
  readonly unhandled: readonly CapturedCall[];
  /** The underlying MSW server, for anything this API does not cover. */
  readonly msw: SetupServer;
  /** `fetch` as patched by MSW (the global one, read at call time). */
  readonly fetch: typeof globalThis.fetch;
  /** Adds a route; it wins over earlier routes that match the same request. Removed by `reset()`. */
  route(definition: RouteDefinition): RouteHandle;
  /** Shorthand for `route({ method, path, respond })`. */
  on(method: string, path: string | RegExp, respond: ResponseStep | ResponseStep[]): RouteHandle;
  /** Adds MSW handlers, tried after the routes and before the initial handlers. Removed by `reset()`. */
  use(...handlers: RequestHandler[]): void;
  /**
   * Answers the next requests, whatever their route, with these steps (faults or replies) in
   * order, then routes normally again. Made for retry tests: `faultNext(fault.status(503, 2))`.
   */
  faultNext(...steps: ResponseStep[]): void;
  /** Calls with this method (or `*`) whose path equals `path` (relative to baseUrl) or matches the RegExp. */
  callsTo(method: string, path: string | RegExp): CapturedCall[];
  /** `baseUrl` + `path`. */
  url(path?: string): string;
  /** Throws, listing them, when any request went unanswered. */
  assertNoUnhandled(): void;
  /** Starts intercepting. */
  listen(): void;
  /** Forgets calls, removes routes/handlers added since creation, restarts sequences, ends hangs. */
  reset(): void;
  /** Stops intercepting and ends hangs. */
  close(): void;
}

interface ActiveRoute {
  compiled: CompiledRoute;
  steps: ResponseStep[];
  match: ((call: CapturedCall) => boolean) | undefined;
  name: string;
  calls: CapturedCall[];
  served: number;
}

function expandSteps(respond: ResponseStep | ResponseStep[]): ResponseStep[] {
  const list = Array.isArray(respond) ? respond : [respond];
  if (list.length === 0) throw new RangeError('a route needs at least one response');
  return list.flatMap<ResponseStep>((step) => (isFault(step) ? Array.from({ length: step.times }, () => step) : [step]));
}

function replyToResponse(reply: ReplySpec): { response: Response; recorded: CapturedResponse } {
  const status = reply.status ?? 200;
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    return {
      response: new HttpResponse(JSON.stringify(reply.json), { status, headers }),
      recorded: { status, headers, body: reply.json },
    };
  }
  if (reply.text !== undefined) {
    headers['content-type'] ??= 'text/plain';
    return { response: new HttpResponse(reply.text, { status, headers }), recorded: { status, headers, body: reply.text } };
  }
  const body = status === 204 || status === 304 ? null : (reply.body ?? null);
  return { response: new HttpResponse(body, { status, headers }), recorded: { status, headers, body: undefined } };
}

/**
 * Creates an MSW-backed test server: routes by method and path with per-call response
 * sequences (`503, 503, 200` — the last repeats), scripted faults (`fault.*`), and every request
 * captured with its parsed body and the response it got.
 *
 * ```ts
 * const server = createTestServer({ baseUrl: 'https://api.stripe.test' });
 * server.on('POST', '/v1/payment_intents', [fault.status(503, 2), { json: { id: 'pi_1' } }]);
 * server.listen();
 * // … run the connector, then:
 * expect(server.callsTo('POST', '/v1/payment_intents')).toHaveLength(3);
 * server.close();
 * ```
 *
 * One server intercepts a process at a time (MSW patches the globals); vitest runs each test
 * file in its own worker, so one server per file is the natural shape.
 */
export function createTestServer(options: TestServerOptions = {}): TestServer {
  const baseUrl = (options.baseUrl ?? 'https://api.hmi.test').replace(/\/+$/, '');
  new URL(baseUrl); // throws early on a malformed base URL
  const unhandledMode = options.onUnhandledRequest ?? 'error';
  const initialRoutes = (options.routes ?? []).map((definition) => activate(definition));
  const initialHandlers = [...(options.handlers ?? [])];
  let routes: ActiveRoute[] = [...initialRoutes];
  let extraHandlers: RequestHandler[] = [];
  let pendingFaults: ResponseStep[] = [];
  const calls: CapturedCall[] = [];
  const unhandled: CapturedCall[] = [];
  let release = () => {};
  let released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let seq = 0;

  function activate(definition: RouteDefinition): ActiveRoute {
    const compiled = compileRoute(definition.method, definition.path, definition.baseUrl ?? baseUrl);
    return {
      compiled,
      steps: expandSteps(definition.respond),
      match: definition.match,
      name: definition.name ?? `${compiled.method} ${String(definition.path)}`,
      calls: [],
      served: 0,
    };
  }

  function releaseHangs() {
    release();
    released = new Promise<void>((resolve) => {
      release = resolve;
    });
  }

  async function runStep(step: ResponseStep, call: CapturedCall, request: Request): Promise<Response | undefined> {
    if (isFault(step)) {
      const { response, recorded } = await step.respond(call, request, { released });
      call.response = recorded;
      return response;
    }
    const produced = typeof step === 'function' ? await step(call, request) : step;
    if (produced === undefined) return undefined;
    if (produced instanceof Response) {
      call.response = await captureResponse(produced);
      return produced;
    }
    if (produced.delayMs) await waitAbortable(produced.delayMs, request.signal, released);
    const { response, recorded } = replyToResponse(produced);
    call.response = recorded;
    return response;
  }

  const dispatcher = http.all('*', async ({ request }) => {
    const call = await captureRequest(request, ++seq);
    calls.push(call);
    const injected = pendingFaults.shift();
    if (injected !== undefined) {
      call.route = 'faultNext';
      return runStep(injected, call, request);
    }
    for (let i = routes.length - 1; i >= 0; i--) {
      const route = routes[i]!;
      const params = route.compiled.test(call.method, new URL(call.url));
      if (!params || (route.match && !route.match(call))) continue;
      call.route = route.name;
      call.params = params;
      route.calls.push(call);
      const step = route.steps[Math.min(route.served, route.steps.length - 1)]!;
      route.served++;
      const response = await runStep(step, call, request);
      if (response) return response;
    }
    const fromHandlers = await getResponse([...extraHandlers, ...initialHandlers], request);
    if (fromHandlers) {
      call.route = 'handler';
      call.response = await captureResponse(fromHandlers);
      return fromHandlers;
    }
    call.route = undefined;
    unhandled.push(call);
    if (unhandledMode === 'bypass') return undefined;
    console[unhandledMode === 'error' ? 'error' : 'warn'](
      `[@hmi/testing] unhandled request ${call.method} ${call.url}: no route or handler matches it` +
        (unhandledMode === 'error' ? ' (answered with a network error)' : ''),
    );
    return unhandledMode === 'error' ? HttpResponse.error() : undefined;
  });

  const msw = setupServer(dispatcher);
  const relative = (path: string) => `${new URL(baseUrl).pathname.replace(/\/$/, '')}${path.startsWith('/') ? path : `/${path}`}`;

  const server: TestServer = {
    baseUrl,
    calls,
    unhandled,
    msw,
    fetch: (input, init) => globalThis.fetch(input, init),
    route(definition) {
      const active = activate(definition);
      routes.push(active);
      return {
        name: active.name,
        get calls() {
          return active.calls;
        },
      };
    },
    on(method, path, respond) {
      return server.route({ method, path, respond });
    },
    use(...handlers) {
      extraHandlers = [...handlers, ...extraHandlers];
    },
    faultNext(...steps) {
      pendingFaults.push(...expandSteps(steps));
    },
    callsTo(method, path) {
      const wanted = method.toUpperCase();
      const target = typeof path === 'string' ? relative(path) : undefined;
      return calls.filter(
        (c) =>
          (wanted === '*' || c.method === wanted) &&
          (target !== undefined ? c.path === target && c.origin === new URL(baseUrl).origin : (path as RegExp).test(c.path)),
      );
    },
    url(path = '') {
      return `${baseUrl}${path && !path.startsWith('/') ? '/' : ''}${path}`;
    },
    assertNoUnhandled() {
      if (unhandled.length === 0) return;
      const list = unhandled.map((c) => `  ${c.method} ${c.url}`).join('\n');
      throw new Error(`${unhandled.length} request(s) matched no route or handler:\n${list}`);
    },
    listen() {
      // Every request reaches the dispatcher, which applies `onUnhandledRequest` itself; 'error'
      // here is a safety net should a request ever bypass it.
      msw.listen({ onUnhandledRequest: unhandledMode === 'error' ? 'error' : 'bypass' });
    },
    reset() {
      releaseHangs();
      calls.length = 0;
      unhandled.length = 0;
      pendingFaults = [];
      extraHandlers = [];
      seq = 0;
      for (const route of initialRoutes) {
        route.served = 0;
        route.calls.length = 0;
      }
      routes = [...initialRoutes];
    },
    close() {
      releaseHangs();
      msw.close();
    },
  };
  return server;
}
