/**
 * Attempt: one try of a request — a circuit-breaker permit, a rate-limit slot, the exchange, and on
 * a 401 one credential refresh and one replay. Internal to the core.
 */
import { AbortedError, CircuitOpenError } from '../errors/errors.js';
import { type HmiError, isHmiError } from '../errors/hmi-error.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import type { AuthStrategy } from './auth/types.js';
import type { CircuitBreaker, CircuitPermit } from './circuit-breaker.js';
import { type AttemptTrack, type Exchange, Unauthorized } from './exchange.js';
import type { Call } from './prepare.js';
import type { RateLimiter } from './rate-limiter.js';
import type { RawResponse } from './types.js';
import { isOutage } from './write-safety.js';

/** What the attempt stage needs of the client. */
export interface AttemptDeps {
  connector: string | undefined;
  telemetry: Telemetry;
  circuit: CircuitBreaker | undefined;
  limiter: RateLimiter;
  exchange: Exchange;
  auth: AuthStrategy | undefined;
  /** Built-in strategies report their own token fetches; custom ones are reported here. */
  builtInAuth: boolean;
}

/** One attempt; see the module comment. */
export type Attempt = (call: Call, attemptNumber: number) => Promise<RawResponse>;

/** Builds the attempt stage. */
export function createAttempt(deps: AttemptDeps): Attempt {
  const { connector, telemetry, circuit, limiter, exchange, auth } = deps;

  /** Gets a fresh credential after a 401. */
  async function refreshCredential(used: string | undefined, call: Call): Promise<void> {
    if (!auth?.refresh) return;
    if (deps.builtInAuth) {
      await auth.refresh(used, call.req.signal);
      return;
    }
    const started = performance.now();
    const report = (ok: boolean, errorCode?: string) =>
      telemetry.emit('auth:refresh', {
        strategy: auth.name,
        ok,
        durationMs: performance.now() - started,
        trigger: '401',
        ...(errorCode !== undefined && { errorCode }),
        connector,
        operation: call.req.operation,
      });
    try {
      await auth.refresh(used, call.req.signal);
      report(true);
    } catch (error) {
      report(false, isHmiError(error) ? error.code : 'error');
      throw error;
    }
  }

  return async function attempt(call, attemptNumber) {
    const { req } = call;
    if (req.signal?.aborted) throw new AbortedError(undefined, { connector, operation: req.operation });
    let permit: CircuitPermit | undefined;
    if (circuit) {
      permit = circuit.acquire();
      if (!permit) throw new CircuitOpenError(undefined, { connector, operation: req.operation });
    }
    let release: (() => void) | undefined;
    if (!limiter.unlimited) {
      try {
        const slot = await limiter.acquire(req.signal);
        release = slot.release;
        if (slot.waitedMs > 0) {
          telemetry.emit('rate-limit', { waitMs: slot.waitedMs, source: 'local', connector, operation: req.operation });
        }
      } catch {
        permit?.abandon();
        throw new AbortedError(undefined, { connector, operation: req.operation });
      }
    }
    const track: AttemptTrack = { sent: false, answered: false };
    try {
      let result = await exchange(call, attemptNumber, auth?.refresh !== undefined, track);
      if (result instanceof Unauthorized) {
        // A 401 means the request was refused before it did anything, so one replay is safe.
        await refreshCredential(result.credential, call);
        result = await exchange(call, attemptNumber, false, track);
      }
      permit?.success();
      return result as RawResponse;
    } catch (error) {
      if (permit) {
        const hmi = error as HmiError;
        if (track.sent && hmi.code !== 'aborted' && isOutage(hmi)) permit.failure();
        else if (track.answered) permit.success();
        else permit.abandon();
      }
      throw error;
    } finally {
      release?.();
    }
  };
}
