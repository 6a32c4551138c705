/** Per-client request budget: `requests` per `windowMs`, fixed windows. */
export interface RateLimitOptions {
  /** Requests per window. Default 600. */
  requests?: number;
  /** Window length. Default 60 000 ms. */
  windowMs?: number;
  /** Clients tracked at most; idle windows are forgotten first. Default 50 000. */
  maxClients?: number;
}

/** The verdict for one request, with the headers to send (IETF draft `RateLimit` / `RateLimit-Policy`). */
export interface RateLimitVerdict {
  allowed: boolean;
  headers: Record<string, string>;
  retryAfterSec: number;
}

/**
 * A fixed-window limiter in this process's memory (one gateway process; behind a load balancer with
 * N processes each allows the budget). Headers follow draft-ietf-httpapi-ratelimit-headers:
 * `RateLimit-Policy: "default";q=600;w=60` and `RateLimit: "default";r=599;t=42`.
 */
export function createRateLimiter(options: RateLimitOptions, now: () => number) {
  const limit = options.requests ?? 600;
  const windowMs = options.windowMs ?? 60_000;
  const maxClients = options.maxClients ?? 50_000;
  const windows = new Map<string, { start: number; count: number }>();
  const policy = `"default";q=${limit};w=${Math.ceil(windowMs / 1000)}`;

  return {
    limit,
    windowMs,
    take(clientId: string): RateLimitVerdict {
      const t = now();
      const start = t - (t % windowMs);
      let w = windows.get(clientId);
      if (!w || w.start !== start) {
        w = { start, count: 0 };
        windows.delete(clientId);
        windows.set(clientId, w);
        if (windows.size > maxClients) {
          for (const [id, old] of windows) {
            if (windows.size <= maxClients) break;
            if (old.start !== start || windows.size > maxClients) windows.delete(id);
          }
        }
      }
      const reset = Math.max(1, Math.ceil((start + windowMs - t) / 1000));
      const allowed = w.count < limit;
      if (allowed) w.count++;
      const remaining = Math.max(0, limit - w.count);
      return {
        allowed,
        retryAfterSec: reset,
        headers: { 'ratelimit-policy': policy, ratelimit: `"default";r=${remaining};t=${reset}` },
      };
    },
  };
}
