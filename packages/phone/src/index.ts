/**
 * `@hmi/phone`: phone numbers normalised to E.164 with libphonenumber-js, so `0555123456` typed in
 * Riyadh and `+966 55 512 3456` from an EHR become the same `+966555123456`.
 * @packageDocumentation
 */
import { ValidationError } from '@hmi/core';
import type { CountryCode } from 'libphonenumber-js/core';
import { type ParsedPhone, type ParseOptions, parsePhone, phoneCountry } from './internal/parse.js';

export { toAsciiDigits } from './internal/parse.js';

/**
 * An ISO 3166-1 alpha-2 region such as `SA`, `AE`, `EG` (a plain string: libphonenumber-js, whose
 * list of regions this was, is bundled into dist, so its types are not installed with this package).
 */
export type PhoneRegion = string;

/** Options of {@link normalizePhone}. */
export interface NormalizePhoneOptions {
  /** Region for numbers written without a country code (`0555123456` with `SA`). */
  defaultRegion?: string | undefined;
  /** Also accept numbers that are possible but not valid for their region. Default false. */
  allowPossible?: boolean;
}

const resolve = (options: NormalizePhoneOptions): ParseOptions => ({
  region: options.defaultRegion?.toUpperCase() as CountryCode | undefined,
  allowPossible: options.allowPossible === true,
});

function invalidPhone(): ValidationError {
  return new ValidationError('phone number is not valid for the region given', {
    issues: [{ path: ['phone'], code: 'invalid_phone', message: 'not a valid phone number' }],
  });
}

/**
 * Returns the E.164 form of `raw`, or undefined when it is not a valid phone number. Accepts
 * Arabic-Indic digits, spaces, dashes, brackets, a leading `00` international prefix and
 * direction marks pasted with RTL text.
 */
export function tryNormalizePhone(raw: string | undefined | null, options: NormalizePhoneOptions = {}): string | undefined {
  return typeof raw === 'string' ? parsePhone(raw, resolve(options))?.number : undefined;
}

/**
 * Returns the E.164 form of `raw`, or throws a ValidationError that says the number is invalid
 * without quoting it (a phone number is patient data).
 */
export function normalizePhone(raw: string, options: NormalizePhoneOptions = {}): string {
  const e164 = tryNormalizePhone(raw, options);
  if (e164 === undefined) throw invalidPhone();
  return e164;
}

/** The region (`SA`, `AE`, `EG`) of an E.164 number, when known. */
export function phoneRegion(e164: string): string | undefined {
  return phoneCountry(e164);
}

/** Options of {@link createPhoneNormalizer}. */
export interface PhoneNormalizerOptions extends NormalizePhoneOptions {
  /** How many distinct inputs the normalizer remembers (least recently used first out). Default 1000; 0 turns the cache off. */
  cacheSize?: number;
}

/** A phone normalizer with fixed options and its own bounded cache; see {@link createPhoneNormalizer}. */
export interface PhoneNormalizer {
  /** E.164 form of `raw`, or undefined when not valid (as {@link tryNormalizePhone}). */
  tryNormalize(raw: string | undefined | null): string | undefined;
  /** E.164 form of `raw`, or a ValidationError that does not quote it (as {@link normalizePhone}). */
  normalize(raw: string): string;
  /** How many inputs are cached now (at most `cacheSize`). */
  readonly cacheEntries: number;
}

/**
 * A normalizer for one source of numbers (a sync, a webhook receiver) that sees the same numbers
 * again and again: results, invalid ones included, are kept in a least-recently-used cache of at
 * most `cacheSize` entries owned by this normalizer alone (no state shared between normalizers).
 * Results are the same as {@link tryNormalizePhone}'s with the same options.
 *
 * @example
 * ```ts
 * const phones = createPhoneNormalizer({ defaultRegion: 'SA', cacheSize: 10_000 });
 * phones.tryNormalize('0555123456'); // '+966555123456'
 * ```
 */
export function createPhoneNormalizer(options: PhoneNormalizerOptions = {}): PhoneNormalizer {
  const parseOptions = resolve(options);
  const cacheSize = Math.max(0, Math.floor(options.cacheSize ?? 1000));
  // Map keeps insertion order: re-inserting on a hit makes the first key the least recently used.
  const cache = new Map<string, ParsedPhone | null>();
  const tryNormalize = (raw: string | undefined | null): string | undefined => {
    if (typeof raw !== 'string') return undefined;
    const cached = cache.get(raw);
    if (cached !== undefined) {
      cache.delete(raw);
      cache.set(raw, cached);
      return cached?.number;
    }
    const parsed = parsePhone(raw, parseOptions) ?? null;
    // Inputs longer than any phone number are refused by the parser and never fill the cache.
    if (cacheSize > 0 && raw.length <= 64) {
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
      cache.set(raw, parsed);
    }
    return parsed?.number;
  };
  return {
    tryNormalize,
    normalize(raw) {
      const e164 = tryNormalize(raw);
      if (e164 === undefined) throw invalidPhone();
      return e164;
    },
    get cacheEntries() {
      return cache.size;
    },
  };
}
