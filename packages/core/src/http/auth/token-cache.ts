/** A token and when it stops being usable. */
export interface CachedToken {
  value: string;
  expiresAt: number;
}

/**
 * Caches one token until shortly before it expires; concurrent callers share one fetch, and a
 * refresh after a 401 fetches again only if nobody has already replaced the token that failed.
 */
export class TokenCache {
  private token: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;

  constructor(
    private readonly fetchToken: (signal?: AbortSignal) => Promise<CachedToken>,
    private readonly skewMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The current token, fetching one if there is none or it is about to expire. */
  async get(signal?: AbortSignal): Promise<string> {
    if (this.token && this.token.expiresAt - this.skewMs > this.now()) return this.token.value;
    return (await this.load(signal)).value;
  }

  /** Drops `used` and fetches a new token, unless another caller already did. */
  async refresh(used: string | undefined, signal?: AbortSignal): Promise<void> {
    if (this.pending) {
      await this.pending;
      return;
    }
    if (this.token && used !== undefined && this.token.value !== used) return;
    this.token = undefined;
    await this.load(signal);
  }

  private load(signal?: AbortSignal): Promise<CachedToken> {
    if (!this.pending) {
      this.pending = this.fetchToken(signal)
        .then((token) => {
          this.token = token;
          return token;
        })
        .finally(() => {
          this.pending = undefined;
        });
    }
    return this.pending;
  }
}
