import { z } from 'zod';
import type { ConsentOptions } from './consent.js';
import { isConsentOptions } from './is-consent-options.js';

export type { ConsentOptions } from './consent.js';

/**
 * The consent gate's host options (`check`, `onEvent`, `quietHours`, `checkTransactional`) as a
 * config field: the one schema every zod-based messaging connector's config uses for its `consent`
 * option. Functions cannot be described by zod's data schemas, so `check` and `onEvent` are checked
 * to be functions here and typed by TypeScript; `quietHours` and `checkTransactional` are validated
 * as data ({@link isConsentOptions}). The callbacks are passed through as given (never cloned), so
 * the host's closures stay live.
 */
export const ConsentOptionsSchema: z.ZodCustom<ConsentOptions, ConsentOptions> = z.custom<ConsentOptions>(isConsentOptions, {
  message: 'expected { check?, onEvent?, quietHours?, checkTransactional? } with functions for check and onEvent',
});
