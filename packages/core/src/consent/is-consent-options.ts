import type { ConsentOptions } from './consent.js';

const HHMM = /^([01]?\d|2[0-3]):[0-5]\d$/;

const isFunctionOrAbsent = (value: unknown) => value === undefined || typeof value === 'function';

/** Quiet hours as data: `HH:MM` start and end, and an optional IANA time zone of 1–64 characters. */
function isQuietHours(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { start, end, defaultTimeZone } = value as Record<string, unknown>;
  if (typeof start !== 'string' || !HHMM.test(start) || typeof end !== 'string' || !HHMM.test(end)) return false;
  return (
    defaultTimeZone === undefined ||
    (typeof defaultTimeZone === 'string' && defaultTimeZone.length >= 1 && defaultTimeZone.length <= 64)
  );
}

/**
 * True when `value` is valid consent-gate host options (`check`, `onEvent`, `quietHours`,
 * `checkTransactional`): functions for `check` and `onEvent`, data for the rest. What
 * `ConsentOptionsSchema` (zod, `@hmi/core/schemas`) checks, without a schema library, so a
 * connector validating its config with another library (valibot's `v.custom`) checks the same.
 *
 * @example
 * ```ts
 * import { isConsentOptions } from '@hmi/core';
 *
 * isConsentOptions({ check: async () => true, quietHours: { start: '21:00', end: '08:00' } }); // true
 * isConsentOptions({ quietHours: { start: '9pm', end: '8am' } }); // false
 * ```
 */
export function isConsentOptions(value: unknown): value is ConsentOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const options = value as Record<string, unknown>;
  if (!isFunctionOrAbsent(options.check) || !isFunctionOrAbsent(options.onEvent)) return false;
  if (options.checkTransactional !== undefined && typeof options.checkTransactional !== 'boolean') return false;
  return options.quietHours === undefined || isQuietHours(options.quietHours);
}
