const noop = () => {};

/**
 * A single-use cancellation for one HTTP exchange: what an AbortController does, without the
 * EventTarget and GC cost of creating one per request (measurable on small, fast API calls). A real
 * AbortSignal is made only when something needs one (the fetch transport, a token fetch).
 * Internal to the core.
 */
export class Cancellation {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Array<() => void> | undefined;
  private controller: AbortController | undefined;

  /** Cancels once; later calls are ignored. Listeners run synchronously; their errors are dropped. */
  cancel(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) {
      for (const listener of listeners) {
        try {
          listener();
        } catch {
          // A failing cleanup must not stop the others.
        }
      }
    }
  }

  /** Runs `listener` on cancel (at once if already cancelled). Returns an unsubscribe function. */
  onCancel(listener: () => void): () => void {
    if (this.aborted) {
      listener();
      return noop;
    }
    const listeners = (this.listeners ??= []);
    listeners.push(listener);
    return () => {
      const i = listeners.indexOf(listener);
      if (i >= 0) listeners.splice(i, 1);
    };
  }

  /** A real AbortSignal that follows this cancellation, created on first use. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }
}
