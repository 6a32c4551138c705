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

/**
 * Marks an error of a write that may have taken effect: not retryable, `outcomeUnknown` set.
 * The error was created for this one request, so it is changed in place (its class, code and
 * status stay what the classifier chose).
 */
export function markOutcomeUnknown(error: HmiError): void {
  const writable = error as { retryable: boolean; outcomeUnknown: boolean };
  writable.retryable = false;
  writable.outcomeUnknown = true;
}
