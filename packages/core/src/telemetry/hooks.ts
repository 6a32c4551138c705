/** A function the hooks wrap: takes options, returns a promise of a result. */
export type HookMethod<O, R> = (options: O) => Promise<R>;

/** One registered hook, in the four Octokit verbs. */
export interface HookRegistration<O, R> {
  /** Runs before the method; may change `options` in place. */
  before(fn: (options: O) => void | Promise<void>): () => void;
  /** Runs after success with the result; may change the result in place. */
  after(fn: (result: R, options: O) => void | Promise<void>): () => void;
  /** Runs on failure; returns a result to recover, or throws. */
  error(fn: (error: unknown, options: O) => R | Promise<R>): () => void;
  /** Wraps the method entirely (auth, caching, tracing). */
  wrap(fn: (method: HookMethod<O, R>, options: O) => Promise<R>): () => void;
}

type Wrapper<O, R> = (method: HookMethod<O, R>, options: O) => Promise<R>;

/**
 * Octokit-style hooks for one named operation. Each registration wraps the ones before it, so the
 * last registered runs outermost. Registrations belong to one client: nothing is global.
 */
export class Hook<O, R> implements HookRegistration<O, R> {
  private wrappers: Array<Wrapper<O, R>> = [];

  private add(wrapper: Wrapper<O, R>): () => void {
    this.wrappers.push(wrapper);
    return () => {
      this.wrappers = this.wrappers.filter((w) => w !== wrapper);
    };
  }

  /** {@inheritDoc HookRegistration.before} */
  before(fn: (options: O) => void | Promise<void>): () => void {
    return this.add(async (method, options) => {
      await fn(options);
      return method(options);
    });
  }

  /** {@inheritDoc HookRegistration.after} */
  after(fn: (result: R, options: O) => void | Promise<void>): () => void {
    return this.add(async (method, options) => {
      const result = await method(options);
      await fn(result, options);
      return result;
    });
  }

  /** {@inheritDoc HookRegistration.error} */
  error(fn: (error: unknown, options: O) => R | Promise<R>): () => void {
    return this.add(async (method, options) => {
      try {
        return await method(options);
      } catch (error) {
        return fn(error, options);
      }
    });
  }

  /** {@inheritDoc HookRegistration.wrap} */
  wrap(fn: Wrapper<O, R>): () => void {
    return this.add(fn);
  }

  /** Runs `method` through every registered hook. */
  run(method: HookMethod<O, R>, options: O): Promise<R> {
    if (this.wrappers.length === 0) return method(options);
    const chain = this.wrappers.reduce<HookMethod<O, R>>((inner, wrapper) => (opts) => wrapper(inner, opts), method);
    return chain(options);
  }
}
