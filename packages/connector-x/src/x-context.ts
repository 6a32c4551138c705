import type { HttpClient } from '@hmi/core';
import type { XRateLimitGate } from './rate-limit.js';
import type { XConfig } from './x-config.js';

/** What every action and stream of the X connector receives (built once per instance in `setup`). */
export interface XContext {
  http: HttpClient;
  config: XConfig;
  /** The instance's memory of X's rate-limit windows. */
  rateLimits: XRateLimitGate;
  /** The clock (epoch ms). */
  now: () => number;
  /** The account's user id: the configured one, or `GET /2/users/me` asked once per instance. */
  userId(signal?: AbortSignal): Promise<string>;
  /** The account's handle, once `/2/users/me` has been read (used for post URLs). */
  username(): string | undefined;
}
