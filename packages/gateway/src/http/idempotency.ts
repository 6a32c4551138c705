import { createHash } from 'node:crypto';
import type { GatewayData } from '../data/types.js';
import { GatewayProblem, isGatewayProblem, problemResponse } from './problem.js';

/** What {@link runIdempotent} needs. @internal */
export interface IdempotentCall {
  data: GatewayData;
  /** The client-scoped key. */
  key: string;
  method: string;
  path: string;
  rawBody: Uint8Array;
  ttlMs: number;
  now: () => number;
  requestId: string;
  /** Runs the operation. */
  run: () => Promise<Response>;
}

/**
 * Runs a POST under its Idempotency-Key: the first request with a key runs and its answer is
 * stored against a fingerprint of method, path and body; the same key and body get the stored
 * answer (`replayed: true`), another body a 422, a request while the first runs a 409. Problems
 * the operation answers (404, 422) are stored like any answer; an unexpected failure or a 5xx
 * releases the key for a retry. @internal
 */
export async function runIdempotent(call: IdempotentCall): Promise<{ response: Response; replayed: boolean }> {
  const { data, key, ttlMs, now } = call;
  const fingerprint = createHash('sha256').update(`${call.method} ${call.path}\n`).update(call.rawBody).digest('hex');
  const begun = await data.beginIdempotent(key, fingerprint, ttlMs);
  if (begun.state === 'mismatch') throw new GatewayProblem('idempotency-key-reused');
  if (begun.state === 'in-progress')
    throw new GatewayProblem('idempotency-in-progress', undefined, { headers: { 'retry-after': '1' } });
  if (begun.state === 'replay') {
    const r = begun.record;
    const response = new Response(r.body === undefined || r.status === 204 ? null : r.body, {
      status: r.status ?? 200,
      headers: { ...r.headers, 'idempotent-replayed': 'true' },
    });
    return { response, replayed: true };
  }
  const release = () => data.finishIdempotent(key, { fingerprint, state: 'failed', expiresAt: now() + ttlMs });
  const store = async (response: Response) => {
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'location']) {
      const v = response.headers.get(name);
      if (v !== null) headers[name] = v;
    }
    await data.finishIdempotent(key, {
      fingerprint,
      state: 'done',
      status: response.status,
      body: await response.text(),
      headers,
      expiresAt: now() + ttlMs,
    });
  };
  let response: Response;
  try {
    response = await call.run();
  } catch (error) {
    if (isGatewayProblem(error) && error.status < 500) await store(problemResponse(error, call.requestId));
    else await release().catch(() => {});
    throw error;
  }
  if (response.status >= 500) await release();
  else await store(response.clone());
  return { response, replayed: false };
}
