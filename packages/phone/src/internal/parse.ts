import {
  type CountryCode,
  type E164Number,
  Metadata,
  type MetadataJson,
  PhoneNumber,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/core';
import { phoneMetadata } from './metadata.js';

/** Options of one normalisation, already resolved. */
export interface ParseOptions {
  readonly region: CountryCode | undefined;
  readonly allowPossible: boolean;
}

/** The normalisation's result: the E.164 number and its region, or undefined when not valid. */
export interface ParsedPhone {
  readonly number: string;
  readonly country: string | undefined;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const ARABIC_INDIC = /[\u0660-\u0669\u06F0-\u06F9]/g;
const DIRECTION_MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Replaces Arabic-Indic and Eastern Arabic-Indic digits (٠-٩, ۰-۹) with ASCII digits. */
export function toAsciiDigits(text: string): string {
  return text.replace(ARABIC_INDIC, (d) => String((d.codePointAt(0)! - (d >= '\u06F0' ? 0x06f0 : 0x0660)) % 10));
}

/**
 * Fast path for input that is already E.164 (`+966555123456`, what EHRs and Twilio send): the
 * number is checked directly against its calling code's metadata, skipping the text extraction of
 * a full parse. It answers only when the number is valid and cannot have been written with a
 * trunk prefix (`+971 04…`, which the full parse strips); anything else goes to the full parse, so
 * the result is libphonenumber-js's own (test/differential.test.ts compares them).
 */
function parseE164(text: string): ParsedPhone | undefined {
  const metadata = phoneMetadata();
  // Calling codes are prefix-free (1 to 3 digits): the first one known is the number's.
  let callingCode: string | undefined;
  for (let length = 1; length <= 3 && callingCode === undefined; length++) {
    const candidate = text.slice(1, 1 + length);
    if (metadata.country_calling_codes[candidate]) callingCode = candidate;
  }
  if (callingCode === undefined || text.length === callingCode.length + 1) return undefined;
  const trunk = trunkPrefix(metadata, callingCode);
  if (trunk === undefined || (trunk !== '' && new RegExp(`^(?:${trunk})`).test(text.slice(1 + callingCode.length)))) {
    return undefined;
  }
  const number = new PhoneNumber(text as E164Number, metadata);
  return number.isValid() ? { number: number.number, country: number.country } : undefined;
}

/**
 * The pattern of the trunk prefix ("national prefix for parsing") of a calling code's numbering
 * plan, '' when it has none, undefined when this libphonenumber-js does not tell (the caller then
 * takes the full parse). `selectNumberingPlan` takes a calling code as well as a country at
 * runtime, and numbering plans have `nationalPrefixForParsing()`, but the typings declare neither.
 */
function trunkPrefix(metadata: MetadataJson, callingCode: string): string | undefined {
  const plan = new Metadata(metadata);
  plan.selectNumberingPlan(callingCode as CountryCode);
  const numberingPlan = plan.numberingPlan as { nationalPrefixForParsing?: () => string | undefined } | undefined;
  if (typeof numberingPlan?.nationalPrefixForParsing !== 'function') return undefined;
  return numberingPlan.nationalPrefixForParsing() ?? '';
}

/** Normalises one raw phone number (see tryNormalizePhone); undefined when not valid. */
export function parsePhone(raw: string, options: ParseOptions): ParsedPhone | undefined {
  if (E164.test(raw)) {
    const fast = parseE164(raw);
    if (fast) return fast;
  }
  const cleaned = toAsciiDigits(raw)
    .replace(DIRECTION_MARKS, '')
    .trim()
    .replace(/^00(?=[1-9])/, '+');
  if (cleaned.length === 0 || cleaned.length > 40) return undefined;
  // Without a region only an international number, a plus sign somewhere in the text (libphonenumber's
  // PLUS_CHARS: `+` and the full-width `＋`), can be read: for anything else libphonenumber-js
  // throws INVALID_COUNTRY and catches it itself, and building that error (its stack trace) costs
  // more than a parse. Same answer, no exception: test/differential.test.ts compares them.
  if (!options.region && !cleaned.includes('+') && !cleaned.includes('\uFF0B')) return undefined;
  const parsed = parsePhoneNumberFromString(cleaned, options.region ? { defaultCountry: options.region } : {}, phoneMetadata());
  if (!parsed) return undefined;
  if (parsed.isValid() || (options.allowPossible && parsed.isPossible())) {
    return { number: parsed.number, country: parsed.country };
  }
  return undefined;
}

/** The region libphonenumber-js reads from a number, valid or not (phoneRegion's historic rule). */
export function phoneCountry(text: string): string | undefined {
  return parsePhoneNumberFromString(text, phoneMetadata())?.country;
}
