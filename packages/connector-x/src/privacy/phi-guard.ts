import { phi, ValidationError } from '@hmi/core';
import { toAsciiDigits, tryNormalizePhone } from '@hmi/phone';
import { z } from 'zod';

/**
 * What the host knows about the patient behind the post being answered (from the CRM record).
 * Every value is PHI: it is used to refuse text that contains it, and never sent anywhere.
 */
export const KnownPatient = z.object({
  /** Full names as written in the record, Arabic or Latin (`فاطمة الزهراني`, `Fatima Al-Zahrani`). */
  names: z
    .array(phi(z.string().min(2).max(200)))
    .max(20)
    .default([]),
  /** Phone numbers in any form (E.164, local `05…`/`01…`, Arabic-Indic digits). */
  phones: z
    .array(phi(z.string().min(4).max(40)))
    .max(20)
    .default([]),
  /** Medical record numbers. */
  mrns: z
    .array(phi(z.string().min(3).max(64)))
    .max(20)
    .default([]),
});
/** What the host knows about the patient. */
export type KnownPatient = z.output<typeof KnownPatient>;

/** Which kind of patient data a text was refused for. The value itself is never reported. */
export type PhiKind = 'name' | 'phone' | 'mrn' | 'avoid';

const DIACRITICS = /[\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g;
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Folds text for name matching: NFKC, lower case, Arabic diacritics and tatweel dropped, alef,
 * teh marbuta, alef maksura and hamza seats unified (the spellings people actually mix), and
 * every run of non-letters one space, padded so a match is on whole words.
 */
export function foldForNames(text: string): string {
  const folded = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(BIDI, '')
    .replace(DIACRITICS, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ة/g, 'ه')
    .replace(/ى/g, 'ي')
    .replace(/ؤ/g, 'و')
    .replace(/ئ/g, 'ي')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return ` ${folded} `;
}

/** Upper-case ASCII letters and digits only: `MRN-00 1234` and `mrn001234` compare equal. */
function foldAlnum(text: string): string {
  return toAsciiDigits(text)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

/**
 * Arabic writes some prepositions and conjunctions fused to the next word (`لفاطمة`, `وفاطمة`,
 * `بالزهراني`): a name is also found behind one of them.
 */
const PROCLITICS = ['', 'و', 'ب', 'ل', 'ف', 'ك', 'وب', 'ول', 'فل'];

/** Digit runs that may be a phone number: digits with short separators between them. */
const DIGIT_RUN = /\+?\d(?:[\s().\-\u00a0]{0,3}\d)+/g;

/** The digits of a known phone in international form (its E.164 when it parses). */
function phoneDigits(raw: string, region: string): string {
  const e164 = tryNormalizePhone(raw, { defaultRegion: region as never, allowPossible: true });
  return (e164 ?? toAsciiDigits(raw)).replace(/\D/g, '');
}

/** Name variants worth refusing: the full name and each pair of consecutive parts. */
function nameVariants(name: string): string[] {
  const parts = foldForNames(name).trim().split(' ').filter(Boolean);
  if (parts.length === 0) return [];
  const variants = new Set([parts.join(' ')]);
  for (let i = 0; i + 1 < parts.length; i++) variants.add(`${parts[i]} ${parts[i + 1]}`);
  if (parts.length > 2) variants.add(`${parts[0]} ${parts[parts.length - 1]}`);
  return [...variants].filter((v) => v.length >= 3);
}

/**
 * The kinds of patient data `text` contains, given what is known about the patient:
 * - a name: the full name or two consecutive parts of it, after Arabic/Latin folding, also
 *   behind a fused Arabic preposition or conjunction (`لفاطمة الزهراني`);
 * - a phone: any digit run (Arabic-Indic digits included) whose digits, without leading zeros,
 *   end an E.164 form of a known number and have at least 7 digits — so `+966 55 512 3456`,
 *   `00966555123456`, `0555123456` and `٠٥٥٥١٢٣٤٥٦` all match `+966555123456`, and `01001234567`
 *   matches Egypt's `+201001234567`;
 * - an MRN: its letters and digits anywhere in the text's letters and digits;
 * - an `avoid` term: as a whole word or phrase.
 * Linear in the text for each known value.
 */
export function findPhi(text: string, patient: KnownPatient | undefined, avoid: readonly string[], region: string): PhiKind[] {
  const found = new Set<PhiKind>();
  const words = foldForNames(text);
  for (const name of patient?.names ?? []) {
    if (nameVariants(name).some((v) => PROCLITICS.some((p) => words.includes(` ${p}${v} `)))) found.add('name');
  }
  const phones = (patient?.phones ?? []).map((p) => phoneDigits(p, region)).filter((d) => d.length >= 7);
  if (phones.length > 0) {
    const ascii = toAsciiDigits(text).replace(BIDI, '');
    for (const match of ascii.matchAll(DIGIT_RUN)) {
      const digits = match[0].replace(/\D/g, '').replace(/^0+/, '');
      if (digits.length >= 7 && phones.some((known) => known.endsWith(digits))) {
        found.add('phone');
        break;
      }
    }
  }
  const alnum = foldAlnum(text);
  for (const mrn of patient?.mrns ?? []) {
    const folded = foldAlnum(mrn);
    // The number alone, leading zeros dropped: people quote `774210` for `MRN-00774210`.
    const digits = folded.replace(/\D/g, '').replace(/^0+/, '');
    if ((folded.length >= 3 && alnum.includes(folded)) || (digits.length >= 5 && alnum.includes(digits))) found.add('mrn');
  }
  for (const term of avoid) {
    const folded = foldForNames(term).trim();
    if (folded.length > 0 && words.includes(` ${folded} `)) found.add('avoid');
  }
  return [...found];
}

/**
 * Refuses, before any request, a text that contains patient data known from the record being
 * answered. The error says which kinds were found, never the values.
 */
export function assertNoPhi(text: string, patient: KnownPatient | undefined, avoid: readonly string[], region: string): void {
  const kinds = findPhi(text, patient, avoid, region);
  if (kinds.length === 0) return;
  throw new ValidationError(
    `the post was not sent: its text contains the patient's ${kinds.join(', ')} (social platforms are outside any BAA)`,
    {
      code: 'phi_in_post',
      connector: 'x',
      issues: kinds.map((kind) => ({ path: ['text'], code: `phi_${kind}`, message: `contains the patient's ${kind}` })),
    },
  );
}

/** The default "please contact us privately" reply, in Arabic and English. */
export const DEFAULT_PRIVATE_REPLY = Object.freeze({
  ar: 'شكراً لتواصلك معنا. حفاظاً على خصوصيتك، نرجو مراسلتنا على الخاص أو الاتصال بنا مباشرة.',
  en: 'Thank you for reaching out. To protect your privacy, please message us privately or call us directly.',
});

/** The private-reply text in `language` (`both`: Arabic first, then English). */
export function privateReplyText(template: { ar: string; en: string }, language: 'ar' | 'en' | 'both'): string {
  if (language === 'ar') return template.ar;
  if (language === 'en') return template.en;
  return `${template.ar}\n\n${template.en}`;
}
