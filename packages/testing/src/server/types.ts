import type { FormValue } from '../form.js';

/** A plain description of one response. */
export interface ReplySpec {
  /** HTTP status. Default 200. */
  status?: number;
  /** A JSON body (sets `content-type: application/json`). */
  json?: unknown;
  /** A text body. */
  text?: string;
  /** Any other body. Prefer `json` or `text`: those are recorded on the captured call. */
  body?: NonNullable<RequestInit['body']>;
  headers?: Record<string, string>;
  /** Waits this long before answering (aborted with the request). */
  delayMs?: number;
}

/** What the captured call records of the response it got. */
export interface CapturedResponse {
  status: number;
  headers: Record<string, string>;
  /** The parsed body (JSON when it parses, else text); undefined for faults and empty bodies. */
  body: unknown;
  /** The fault that produced it, e.g. `reset`, `hang`, `rateLimit`. */
  fault?: string;
}

/** One request the server received, with everything a test wants to assert on. */
export interface CapturedCall {
  /** 1-based position among all requests since the last reset. */
  seq: number;
  method: string;
  /** The full URL, query included. */
  url: string;
  origin: string;
  /** The URL's path, without query. */
  path: string;
  /** The query string decoded like a form (`created[gt]=1` → `{ created: { gt: '1' } }`). */
  query: Record<string, FormValue>;
  /** Request headers, names in lower case. */
  headers: Record<string, string>;
  /** The media type of the body, without parameters (`application/json`). */
  contentType: string | undefined;
  /**
   * The parsed body: JSON as a value, `application/x-www-form-urlencoded` as an object (bracket
   * notation nested, repeated keys as lists), anything else as text; undefined when empty.
   */
  body: unknown;
  /** The body as sent, as text. */
  rawBody: string;
  /** The name of the route that answered, when one did. */
  route: string | undefined;
  /** Path parameters the route's template captured (`/charges/:id` → `{ id }`). */
  params: Record<string, string>;
  /** What the server answered; absent until it has answered, and for unhandled requests. */
  response?: CapturedResponse;
}

/** Computes a response from the captured call (and the raw Request, for streaming or abort). */
export type ResponseResolver = (
  call: CapturedCall,
  request: Request,
) => ReplySpec | Response | undefined | Promise<ReplySpec | Response | undefined>;

/**
 * A scripted fault: a failure the server produces `times` times in a row when it is an entry of
 * a response sequence. Build them with `fault.*`.
 */
export interface Fault {
  readonly kind: 'fault';
  /** A short name recorded on the captured response (`status`, `rateLimit`, `reset`, …). */
  readonly name: string;
  /** How many consecutive calls this entry answers. */
  readonly times: number;
  /** Produces the response for one call. */
  respond(call: CapturedCall, request: Request, lifecycle: FaultLifecycle): Promise<FaultResult> | FaultResult;
}

/** What a fault produced: the response and what to record of it. */
export interface FaultResult {
  response: Response;
  recorded: CapturedResponse;
}

/** What the server lends a fault so that hangs end when the server resets or closes. */
export interface FaultLifecycle {
  /** Resolves when the server is reset or closed. */
  released: Promise<void>;
}

/** One entry of a response sequence. */
export type ResponseStep = ReplySpec | Fault | ResponseResolver;

/** A route: which requests it answers and with what sequence of responses. */
export interface RouteDefinition {
  /** HTTP method, case-insensitive, or `*` for any. */
  method: string;
  /**
   * The path below `baseUrl`: a template (`/v1/charges/:id` or `/v1/charges/{id}`) matched exactly,
   * or a RegExp tested against the full URL path (base path included).
   */
  path: string | RegExp;
  /** The origin (and base path) the path is relative to. Default: the server's `baseUrl`. */
  baseUrl?: string;
  /** The responses in order; the last one repeats for every later call. */
  respond: ResponseStep | ResponseStep[];
  /** An extra condition (on query, headers or body) the call must meet. */
  match?: (call: CapturedCall) => boolean;
  /** A name for `call.route`; default `METHOD path`. */
  name?: string;
}

/** A registered route, with the calls it answered. */
export interface RouteHandle {
  readonly name: string;
  /** Calls this route answered, in order. */
  readonly calls: readonly CapturedCall[];
}
