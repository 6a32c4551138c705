import { type HmiError, isHmiError } from './hmi-error.js';

/**
 * Runs `scrub` over the message and stack of an error's (already sanitised) foreign cause, so a
 * client or connector can remove the secrets it knows of (those registered with its redactor).
 * Internal to the core: not exported from the package.
 */
export function scrubCause(error: HmiError, scrub: (text: string) => string): void {
  const cause = (error as { cause?: unknown }).cause;
  if (!(cause instanceof Error) || isHmiError(cause)) return;
  cause.message = scrub(cause.message);
  if (cause.stack) cause.stack = scrub(cause.stack);
}
