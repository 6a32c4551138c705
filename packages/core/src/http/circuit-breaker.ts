/** When to stop calling a failing vendor, and when to try again. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long the circuit stays open before one probe request is let through. Default 30 000 ms. */
  resetTimeoutMs?: number;
}

/** The breaker's state. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * Permission for one request, given by {@link CircuitBreaker.acquire}. Report exactly one outcome;
 * later reports are ignored.
 */
export interface CircuitPermit {
  /** The vendor answered with something other than an outage (2xx–4xx except 408/429 count here). */
  success(): void;
  /** An outage-type failure: network error, timeout, 5xx. */
  failure(): void;
  /** The request never reached the vendor (aborted, auth failed): no verdict, frees a probe slot. */
  abandon(): void;
  /** True when this request is the half-open probe. */
  readonly probe: boolean;
}

/** A per-client circuit breaker. */
export interface CircuitBreaker {
  /**
   * A permit when a request may go now, else undefined (fail fast). In half-open state only one
   * probe is admitted at a time; its outcome closes or re-opens the circuit.
   */
  acquire(): CircuitPermit | undefined;
  /** Current state. `open` turns into `half-open` once `resetTimeoutMs` has passed. */
  readonly state: CircuitState;
}

/** Listener for breaker transitions. */
export type CircuitListener = (state: CircuitState, failures: number) => void;

/**
 * Creates a circuit breaker: closed → open after N consecutive failures → (after
 * `resetTimeoutMs`) half-open, where one probe is let through → closed on its success, open again
 * on its failure. Outcomes of requests admitted before the circuit last opened are ignored, so a
 * slow straggler cannot close a circuit that a probe is testing.
 */
export function createCircuitBreaker(
  options: CircuitBreakerOptions = {},
  onChange?: CircuitListener,
  now: () => number = Date.now,
): CircuitBreaker {
  const threshold = Math.max(1, Math.floor(options.failureThreshold ?? 5) || 1);
  const resetTimeout = Math.max(0, options.resetTimeoutMs ?? 30_000) || 0;
  let state: CircuitState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let probeInFlight = false;
  /** Bumped whenever the circuit opens: permits from an older generation carry no weight. */
  let generation = 0;

  const transition = (next: CircuitState) => {
    if (state === next) return;
    state = next;
    onChange?.(next, failures);
  };

  const open = () => {
    openedAt = now();
    generation++;
    probeInFlight = false;
    transition('open');
  };

  const acquire = (): CircuitPermit | undefined => {
    if (state === 'open') {
      if (now() - openedAt < resetTimeout) return undefined;
      transition('half-open');
    }
    let probe = false;
    if (state === 'half-open') {
      if (probeInFlight) return undefined;
      probeInFlight = true;
      probe = true;
    }
    const born = generation;
    let settled = false;
    const settle = (outcome: 'success' | 'failure' | 'abandon') => {
      if (settled) return;
      settled = true;
      if (born !== generation) return;
      if (probe) probeInFlight = false;
      if (outcome === 'abandon') return;
      if (outcome === 'success') {
        failures = 0;
        if (state === 'half-open' && probe) transition('closed');
        return;
      }
      failures++;
      if ((state === 'half-open' && probe) || (state === 'closed' && failures >= threshold)) open();
    };
    return {
      probe,
      success: () => settle('success'),
      failure: () => settle('failure'),
      abandon: () => settle('abandon'),
    };
  };

  return {
    acquire,
    get state() {
      if (state === 'open' && now() - openedAt >= resetTimeout) return 'half-open';
      return state;
    },
  };
}
