/**
 * Success and failure counts over a sliding time window, kept in buckets (1/60 of the window, at
 * least 1 ms) so memory stays bounded however busy an integration point is. The window edge is
 * exact to one bucket.
 * @internal
 */
export class SlidingWindow {
  private readonly bucketMs: number;
  private readonly buckets = new Map<number, { ok: number; failed: number }>();

  constructor(readonly windowMs: number) {
    this.bucketMs = Math.max(1, Math.floor(windowMs / 60));
  }

  add(now: number, ok: boolean): void {
    const start = Math.floor(now / this.bucketMs) * this.bucketMs;
    let bucket = this.buckets.get(start);
    if (!bucket) this.buckets.set(start, (bucket = { ok: 0, failed: 0 }));
    if (ok) bucket.ok++;
    else bucket.failed++;
    this.prune(now);
  }

  /** Counts of the buckets that end after `now - window`. */
  counts(now: number): { ok: number; failed: number; total: number } {
    this.prune(now);
    let ok = 0;
    let failed = 0;
    for (const bucket of this.buckets.values()) {
      ok += bucket.ok;
      failed += bucket.failed;
    }
    return { ok, failed, total: ok + failed };
  }

  get empty(): boolean {
    return this.buckets.size === 0;
  }

  private prune(now: number): void {
    const oldest = now - this.windowMs;
    for (const start of this.buckets.keys()) if (start + this.bucketMs <= oldest) this.buckets.delete(start);
  }
}
