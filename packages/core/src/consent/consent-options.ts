import { z } from 'zod';
import type { ConsentOptions } from './consent.js';

export type { ConsentOptions } from './consent.js';

const HHMM = /^([01]?\d|2[0-3]):[0-5]\d$/;

/** Quiet hours as data: `HH:MM` start and end, and an optional IANA time zone. */
const QuietHoursSchema = z.object({
  start: z.string().regex(HHMM, 'expected HH:MM'),
  end: z.string().regex(HHMM, 'expected HH:MM'),
  defaultTimeZone: z.string().min(1).max(64).optional(),
});

const isFunctionOrAbsent = (value: unknown) => value === undefined || typeof value === 'function';

/**
 * The consent gate's host options (`check`, `onEvent`, `quietHours`, `checkTransactional`) as a
 * config field: the one schema every messaging connector's config uses for its `consent` option.
 * Functions cannot be described by zod's data schemas, so `check` and `onEvent` are checked to be
 * functions here and typed by TypeScript; `quietHours` and `checkTransactional` are validated as
 * data. The callbacks are passed through as given (never cloned), so the host's closures stay live.
 */
export const ConsentOptionsSchema: z.ZodCustom<ConsentOptions, ConsentOptions> = z.custom<ConsentOptions>(
  (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const options = value as Record<string, unknown>;
    if (!isFunctionOrAbsent(options.check) || !isFunctionOrAbsent(options.onEvent)) return false;
    if (options.checkTransactional !== undefined && typeof options.checkTransactional !== 'boolean') return false;
    return options.quietHours === undefined || QuietHoursSchema.safeParse(options.quietHours).success;
  },
  { message: 'expected { check?, onEvent?, quietHours?, checkTransactional? } with functions for check and onEvent' },
);
