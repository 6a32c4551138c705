/**
 * `@hmi/phone`: phone numbers normalised to E.164 with libphonenumber-js, so `0555123456` typed in
 * Riyadh and `+966 55 512 3456` from an EHR become the same `+966555123456`.
 * @packageDocumentation
 */
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ValidationError } from '@hmi/core';

/** An ISO 3166-1 alpha-2 region such as `SA`, `AE`, `EG`. */
export type PhoneRegion = CountryCode;

/** Options of {@link normalizePhone}. */
export interface NormalizePhoneOptions {
  /** Region for numbers written without a country code (`0555123456` with `SA`). */
  defaultRegion?: string | undefined;
  /** Also accept numbers that are possible but not valid for their region. Default false. */
  allowPossible?: boolean;
}

const ARABIC_INDIC = /[\u0660-\u0669\u06F0-\u06F9]/g;

/** Replaces Arabic-Indic and Eastern Arabic-Indic digits (٠-٩, ۰-۹) with ASCII digits. */
export function toAsciiDigits(text: string): string {
  return text.replace(ARABIC_INDIC, (d) => String((d.codePointAt(0)! - (d >= '\u06F0' ? 0x06f0 : 0x0660)) % 10));
}

/**
 * Returns the E.164 form of `raw`, or undefined when it is not a valid phone number. Accepts
 * Arabic-Indic digits, spaces, dashes, brackets, a leading `00` international prefix and
 * direction marks pasted with RTL text.
 */
export function tryNormalizePhone(raw: string | undefined | null, options: NormalizePhoneOptions = {}): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const cleaned = toAsciiDigits(raw)
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim()
    .replace(/^00(?=[1-9])/, '+');
  if (cleaned.length === 0 || cleaned.length > 40) return undefined;
  const region = options.defaultRegion?.toUpperCase() as CountryCode | undefined;
  const parsed = parsePhoneNumberFromString(cleaned, region ? { defaultCountry: region } : undefined);
  if (!parsed) return undefined;
  if (parsed.isValid() || (options.allowPossible && parsed.isPossible())) return parsed.number;
  return undefined;
}

/**
 * Returns the E.164 form of `raw`, or throws a ValidationError that says the number is invalid
 * without quoting it (a phone number is patient data).
 */
export function normalizePhone(raw: string, options: NormalizePhoneOptions = {}): string {
  const e164 = tryNormalizePhone(raw, options);
  if (e164 === undefined) {
    throw new ValidationError('phone number is not valid for the region given', {
      issues: [{ path: ['phone'], code: 'invalid_phone', message: 'not a valid phone number' }],
    });
  }
  return e164;
}

/** The region (`SA`, `AE`, `EG`) of an E.164 number, when known. */
export function phoneRegion(e164: string): string | undefined {
  return parsePhoneNumberFromString(e164)?.country;
}
