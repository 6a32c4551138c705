/** When to stop calling a failing vendor, and when to try again. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long the circuit stays open before one probe request is let through. Default 30 000 ms. */
  resetTimeoutMs?: number;
}

/** The breaker's state. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** A per-client circuit breaker. */
export interface CircuitBreaker {
  /** Whether a request may go now. In half-open state only one probe is allowed at a time. */
  tryAcquire(): boolean;
  /** Reports that an admitted request reached the vendor and got a non-failure answer. */
  onSuccess(): void;
  /** Reports an outage-type failure (network, timeout, 5xx, 429). */
  onFailure(): void;
  /** Current state. */
  readonly state: CircuitState;
}

/** Listener for breaker transitions. */
export type CircuitListener = (state: CircuitState, failures: number) => void;

/** Creates a circuit breaker: closed → open after N consecutive failures → half-open probe → closed. */
export function createCircuitBreaker(
  options: CircuitBreakerOptions = {},
  onChange?: CircuitListener,
  now = Date.now,
): CircuitBreaker {
  const threshold = Math.max(1, options.failureThreshold ?? 5);
  const resetTimeout = Math.max(0, options.resetTimeoutMs ?? 30_000);
  let state: CircuitState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let probeInFlight = false;

  const transition = (next: CircuitState) => {
    if (state === next) return;
    state = next;
    onChange?.(next, failures);
  };

  return {
    get state() {
      if (state === 'open' && now() - openedAt >= resetTimeout) return 'half-open';
      return state;
    },
    tryAcquire() {
      if (state === 'closed') return true;
      if (state === 'open') {
        if (now() - openedAt < resetTimeout) return false;
        transition('half-open');
      }
      if (probeInFlight) return false;
      probeInFlight = true;
      return true;
    },
    onSuccess() {
      failures = 0;
      probeInFlight = false;
      transition('closed');
    },
    onFailure() {
      failures++;
      if (state === 'half-open' || failures >= threshold) {
        probeInFlight = false;
        openedAt = now();
        // Re-opening from half-open is a new outage window; emit even if the state name repeats.
        if (state === 'open') onChange?.('open', failures);
        transition('open');
      }
    },
  };
}
