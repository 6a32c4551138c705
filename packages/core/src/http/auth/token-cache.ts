/** A token and when it stops being usable. */
export interface CachedToken {
  value: string;
  /** Epoch ms after which the token must not be used. */
  expiresAt: number;
}

/** Why a token was fetched: none yet, the cached one expired, or the vendor refused it (401). */
export type TokenFetchTrigger = 'initial' | 'expired' | '401';

/** What {@link TokenCache} reports after each token fetch, for `auth:refresh` telemetry. */
export interface TokenFetchReport {
  trigger: TokenFetchTrigger;
  ok: boolean;
  durationMs: number;
  /** The error's code when the fetch failed. */
  errorCode?: string | undefined;
}

/** Options of {@link TokenCache}. */
export interface TokenCacheOptions {
  /** Refresh this long before expiry (at most half the token's lifetime). Default 30 000 ms. */
  skewMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Told about every token fetch, with its real duration. */
  onFetch?: (report: TokenFetchReport) => void;
}

/** Rejects with the signal's reason as soon as it aborts; otherwise settles like `promise`. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Caches one token until shortly before it expires. Concurrent callers share one fetch, and a
 * refresh after a 401 fetches again only if nobody has already replaced the token that failed.
 * The shared fetch is not tied to any one caller's signal (one caller aborting must not fail the
 * others); each caller stops waiting when its own signal aborts, and the fetch is bounded by the
 * token endpoint's own timeout.
 */
export class TokenCache {
  private token: (CachedToken & { fetchedAt: number }) | undefined;
  private pending: Promise<CachedToken> | undefined;
  private readonly skewMs: number;
  private readonly now: () => number;
  private readonly onFetch: ((report: TokenFetchReport) => void) | undefined;

  constructor(
    private readonly fetchToken: (signal?: AbortSignal) => Promise<CachedToken>,
    skewMsOrOptions: number | TokenCacheOptions = {},
    now: () => number = Date.now,
  ) {
    const options = typeof skewMsOrOptions === 'number' ? { skewMs: skewMsOrOptions, now } : skewMsOrOptions;
    this.skewMs = options.skewMs ?? 30_000;
    this.now = options.now ?? now;
    this.onFetch = options.onFetch;
  }

  private fresh(token: CachedToken & { fetchedAt: number }): boolean {
    const skew = Math.min(this.skewMs, (token.expiresAt - token.fetchedAt) / 2);
    return token.expiresAt - skew > this.now();
  }

  /** The current token if it is fresh, without waiting; undefined when one must be fetched. */
  peek(): string | undefined {
    return this.token && this.fresh(this.token) ? this.token.value : undefined;
  }

  /** The current token, fetching one if there is none or it is about to expire. */
  async get(signal?: AbortSignal): Promise<string> {
    if (this.token && this.fresh(this.token)) return this.token.value;
    return (await raceAbort(this.load(this.token ? 'expired' : 'initial'), signal)).value;
  }

  /** Drops `used` and fetches a new token, unless another caller already did (or is doing so). */
  async refresh(used: string | undefined, signal?: AbortSignal): Promise<void> {
    if (this.pending) {
      await raceAbort(this.pending, signal);
      return;
    }
    if (this.token && used !== undefined && this.token.value !== used) return;
    this.token = undefined;
    await raceAbort(this.load('401'), signal);
  }

  private load(trigger: TokenFetchTrigger): Promise<CachedToken> {
    if (!this.pending) {
      const started = performance.now();
      const report = (ok: boolean, error?: unknown) => {
        try {
          this.onFetch?.({
            trigger,
            ok,
            durationMs: performance.now() - started,
            errorCode: ok ? undefined : String((error as { code?: unknown })?.code ?? 'error'),
          });
        } catch {
          // A telemetry listener must not break authentication.
        }
      };
      this.pending = this.fetchToken()
        .then(
          (token) => {
            this.token = { ...token, fetchedAt: this.now() };
            report(true);
            return token;
          },
          (error: unknown) => {
            report(false, error);
            throw error;
          },
        )
        .finally(() => {
          this.pending = undefined;
        });
    }
    return this.pending;
  }
}
