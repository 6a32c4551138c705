/**
 * Timer functions the MLLP server uses for its idle and frame timeouts. Injectable so that tests
 * (and hosts with their own scheduler) drive the timeouts without waiting on the wall clock.
 */
export interface MllpTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The global timers, unref'd: a pending timeout never keeps the process alive on its own. */
export const systemTimers: MllpTimers = Object.freeze({
  setTimeout(callback: () => void, ms: number): unknown {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout(handle: unknown): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
});

/**
 * One restartable timeout. `arm` (re)starts it, `disarm` stops it; `onExpire` runs at most once
 * per arming.
 * @internal
 */
export class Deadline {
  readonly #timers: MllpTimers;
  readonly #ms: number;
  readonly #onExpire: () => void;
  #handle: unknown;
  #armed = false;

  constructor(timers: MllpTimers, ms: number, onExpire: () => void) {
    this.#timers = timers;
    this.#ms = ms;
    this.#onExpire = onExpire;
  }

  get armed(): boolean {
    return this.#armed;
  }

  arm(): void {
    this.disarm();
    if (!Number.isFinite(this.#ms) || this.#ms <= 0) return; // 0 or Infinity: no timeout
    this.#armed = true;
    this.#handle = this.#timers.setTimeout(() => {
      if (!this.#armed) return;
      this.#armed = false;
      this.#onExpire();
    }, this.#ms);
  }

  disarm(): void {
    if (!this.#armed) return;
    this.#armed = false;
    this.#timers.clearTimeout(this.#handle);
  }
}

/**
 * Bytes held across all connections of one server: unfinished frames and frames waiting for the
 * handler. A connection whose bytes would take the total over the budget is closed, so memory
 * stays bounded whatever the number of peers sending large, unfinished frames.
 * @internal
 */
export class ByteBudget {
  readonly #max: number;
  #used = 0;

  constructor(max: number) {
    this.#max = max;
  }

  /** Bytes held now. */
  get used(): number {
    return this.#used;
  }

  /** Adds (or with a negative delta, returns) bytes; false when the total is now over budget. */
  adjust(delta: number): boolean {
    this.#used += delta;
    return this.#used <= this.#max;
  }
}
