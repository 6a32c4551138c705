import { HttpResponse } from 'msw';
import type { CapturedCall, CapturedResponse, Fault, FaultLifecycle, FaultResult } from './types.js';

function abortable(ms: number, signal: AbortSignal, released?: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    released?.then(done, done);
  });
}

function define(
  name: string,
  times: number,
  respond: (call: CapturedCall, request: Request, lifecycle: FaultLifecycle) => Promise<FaultResult> | FaultResult,
): Fault {
  if (!Number.isInteger(times) || times < 1) throw new RangeError(`fault.${name}: times must be a positive integer`);
  return { kind: 'fault', name, times, respond };
}

function jsonResponse(status: number, body: unknown, headers: Record<string, string>, fault: string): FaultResult {
  const all = { 'content-type': 'application/json', ...headers };
  const recorded: CapturedResponse = { status, headers: all, body, fault };
  return { response: new HttpResponse(JSON.stringify(body), { status, headers: all }), recorded };
}

/** Options of {@link fault.status}. */
export interface StatusFaultOptions {
  /** A JSON error body. Default `{ "error": { "message": "injected <status>" } }`. */
  json?: unknown;
  headers?: Record<string, string>;
}

/** Options of {@link fault.rateLimit}. */
export interface RateLimitFaultOptions {
  /** `Retry-After` value: seconds (number) or an HTTP date / raw string. Omit for no header. */
  retryAfter?: number | string;
  /** Sends `retry-after-ms` too (some vendors do). */
  retryAfterMs?: number;
  /** How many 429s in a row. Default 1. */
  times?: number;
  json?: unknown;
}

/** Options of {@link fault.slowBody}. */
export interface SlowBodyFaultOptions {
  /** The pieces to send, or how many pieces to cut the body into. Default 4. */
  chunks?: string[] | number;
  /** Pause before each piece after the first, in ms. */
  delayMs: number;
  /** The JSON body to send slowly (ignored when `chunks` is a list). Default `{ "ok": true }`. */
  json?: unknown;
  status?: number;
  headers?: Record<string, string>;
  times?: number;
}

function splitInto(text: string, pieces: number): string[] {
  const n = Math.max(1, Math.min(pieces, text.length || 1));
  const size = Math.ceil(text.length / n);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [''];
}

/**
 * Scripted faults, usable as entries of a route's response sequence:
 *
 * ```ts
 * server.on('POST', '/v1/charges', [fault.status(503, 2), { json: { id: 'ch_1' } }]);
 * ```
 */
export const fault = {
  /** `times` responses with an error `status` (a 5xx burst: `fault.status(503, 3)`). */
  status(status: number, times = 1, options: StatusFaultOptions = {}): Fault {
    const body = options.json ?? { error: { message: `injected ${status}` } };
    return define('status', times, () => jsonResponse(status, body, options.headers ?? {}, 'status'));
  },

  /** A 429 with `Retry-After` (seconds or an HTTP date) and optionally `retry-after-ms`. */
  rateLimit(options: RateLimitFaultOptions = {}): Fault {
    const headers: Record<string, string> = {};
    if (options.retryAfter !== undefined) headers['retry-after'] = String(options.retryAfter);
    if (options.retryAfterMs !== undefined) headers['retry-after-ms'] = String(options.retryAfterMs);
    const body = options.json ?? { error: { message: 'rate limited' } };
    return define('rateLimit', options.times ?? 1, () => jsonResponse(429, body, headers, 'rateLimit'));
  },

  /** A connection reset: the client's fetch rejects with a network error. */
  reset(times = 1): Fault {
    return define('reset', times, () => ({
      response: HttpResponse.error(),
      recorded: { status: 0, headers: {}, body: undefined, fault: 'reset' },
    }));
  },

  /**
   * Never answers. The request stays open until the client aborts it (a timeout) or the server
   * is reset or closed, so a test never leaks a pending promise.
   */
  hang(times = 1): Fault {
    return define('hang', times, async (_call, request, lifecycle) => {
      await abortable(2 ** 31 - 1, request.signal, lifecycle.released);
      return { response: HttpResponse.error(), recorded: { status: 0, headers: {}, body: undefined, fault: 'hang' } };
    });
  },

  /** A 2xx whose body claims to be JSON but does not parse. */
  malformedJson(options: { status?: number; times?: number } = {}): Fault {
    const status = options.status ?? 200;
    const text = '{"id": "obj_1", "amount": 20';
    return define('malformedJson', options.times ?? 1, () => ({
      response: new HttpResponse(text, { status, headers: { 'content-type': 'application/json' } }),
      recorded: { status, headers: { 'content-type': 'application/json' }, body: text, fault: 'malformedJson' },
    }));
  },

  /**
   * Sends the headers at once and the body in pieces with a pause before each, so a client's
   * timeout has to cover reading the body, not just the headers.
   */
  slowBody(options: SlowBodyFaultOptions): Fault {
    const status = options.status ?? 200;
    const whole = Array.isArray(options.chunks) ? options.chunks.join('') : JSON.stringify(options.json ?? { ok: true });
    const pieces = Array.isArray(options.chunks) ? options.chunks : splitInto(whole, options.chunks ?? 4);
    const headers = { 'content-type': 'application/json', ...options.headers };
    return define('slowBody', options.times ?? 1, (_call, request, lifecycle) => {
      const encoder = new TextEncoder();
      let index = 0;
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (index > 0) await abortable(options.delayMs, request.signal, lifecycle.released);
          if (request.signal.aborted) {
            controller.error(new DOMException('aborted', 'AbortError'));
            return;
          }
          controller.enqueue(encoder.encode(pieces[index]!));
          index++;
          if (index >= pieces.length) controller.close();
        },
      });
      let body: unknown = whole;
      try {
        body = JSON.parse(whole);
      } catch {
        // Recorded as text when the pieces are not JSON.
      }
      return { response: new HttpResponse(stream, { status, headers }), recorded: { status, headers, body, fault: 'slowBody' } };
    });
  },
} as const;

/** True when a sequence entry is a {@link Fault}. */
export function isFault(value: unknown): value is Fault {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'fault';
}

/** @internal Waits `ms`, ending early when `signal` aborts. */
export const waitAbortable = abortable;
