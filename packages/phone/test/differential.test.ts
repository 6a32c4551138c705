import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCorporaDir } from '@hmi/testing';
import fc from 'fast-check';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { createPhoneNormalizer, phoneRegion, tryNormalizePhone } from '@hmi/phone';

/**
 * Differential test: @hmi/phone (fast E.164 path, metadata parsed on first use, per-normalizer
 * cache) must answer exactly what plain libphonenumber-js/max answers, as the first version of this
 * package did (that version is the reference below, verbatim in behaviour).
 */
function reference(raw: string, region?: string, allowPossible = false): string | undefined {
  const cleaned = raw
    .replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String((d.codePointAt(0)! - (d >= '\u06F0' ? 0x06f0 : 0x0660)) % 10))
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim()
    .replace(/^00(?=[1-9])/, '+');
  if (cleaned.length === 0 || cleaned.length > 40) return undefined;
  const parsed = parsePhoneNumberFromString(cleaned, region ? { defaultCountry: region as CountryCode } : undefined);
  if (!parsed) return undefined;
  return parsed.isValid() || (allowPossible && parsed.isPossible()) ? parsed.number : undefined;
}

interface CorpusEntry {
  raw: string;
  defaultRegion: string;
  intended: string;
}
const corpusPath = join(findCorporaDir(), 'phones', 'gulf-egypt-200.json');
const corpus = JSON.parse(readFileSync(corpusPath, 'utf8')) as CorpusEntry[];

/** Near misses of a valid E.164 number: a digit short or long, a trunk 0 kept, a digit changed. */
function nearMisses(e164: string): string[] {
  const out = [
    e164,
    e164.slice(0, -1),
    `${e164}7`,
    `${e164.slice(0, 4)}0${e164.slice(4)}`,
    `${e164.slice(0, 5)}0${e164.slice(5)}`,
  ];
  for (let i = 4; i < e164.length; i++) out.push(`${e164.slice(0, i)}${(Number(e164[i]) + 3) % 10}${e164.slice(i + 1)}`);
  return out;
}

// +375 8…: valid as digits after the calling code, but the full parse reads the 8 as Belarus's
// trunk prefix and refuses it; the fast path must give the same answer.
const OTHER_E164 = [
  '+3758104919080',
  '+12025550143',
  '+14165550143',
  '+447911123456',
  '+33612345678',
  '+79161234567',
  '+77011234567',
  '+390612345678',
  '+3906123456',
];

describe('@hmi/phone against libphonenumber-js/max', () => {
  it('gives the same answer on the Gulf and Egypt corpus, its near misses and other regions', () => {
    expect(corpus.length).toBe(200);
    const inputs = new Set<string>(OTHER_E164.flatMap(nearMisses));
    for (const entry of corpus) {
      inputs.add(entry.raw);
      for (const miss of nearMisses(entry.intended)) inputs.add(miss);
    }
    let valid = 0;
    for (const raw of inputs) {
      for (const region of [undefined, 'SA', 'AE', 'EG', 'KW']) {
        for (const allowPossible of [false, true]) {
          const expected = reference(raw, region, allowPossible);
          if (expected) valid++;
          expect(tryNormalizePhone(raw, { defaultRegion: region, allowPossible }), `${raw} ${region} ${allowPossible}`).toBe(
            expected,
          );
        }
      }
      expect(phoneRegion(raw), raw).toBe(parsePhoneNumberFromString(raw)?.country);
    }
    // Both sides of the fast path are exercised: many valid numbers, many refused.
    expect(valid).toBeGreaterThan(1000);
    expect(inputs.size * 10 - valid).toBeGreaterThan(1000);
  });

  it('gives the same answer on arbitrary "+digits" strings', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+[0-9]{1,16}$/), fc.constantFrom(undefined, 'SA', 'EG'), (raw, region) => {
        expect(tryNormalizePhone(raw, { defaultRegion: region })).toBe(reference(raw, region));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same answer on free text with or without a plus sign, with and without a region', () => {
    // Phone-ish text as EHRs hold it: digits (ASCII and Arabic-Indic), separators, a plus sign
    // (`+` or the full-width `＋`) anywhere or nowhere, labels. Without a region only text with a
    // plus sign can be read: the shortcut that skips libphonenumber's thrown INVALID_COUNTRY must
    // agree with it everywhere.
    const piece = fc.constantFrom(
      '+',
      '\uFF0B',
      '00',
      '0',
      '5',
      '9',
      '66',
      '971',
      '20',
      '1',
      ' ',
      '-',
      '(',
      ')',
      '.',
      '٥',
      '٠',
      'tel:',
      'Mobile: ',
      'x',
      'ext. 12',
    );
    const text = fc.array(piece, { minLength: 1, maxLength: 14 }).map((parts) => parts.join(''));
    for (const raw of [
      '\uFF0B966555123456',
      'Mobile: +966 55 512 3456',
      'tel:+971-50-123-4567',
      '0555123456',
      '(02) 123 4567',
      '٠٥٥٥١٢٣٤٥٦',
    ]) {
      for (const region of [undefined, 'SA'])
        expect(tryNormalizePhone(raw, { defaultRegion: region }), `${raw} ${region}`).toBe(reference(raw, region));
    }
    fc.assert(
      fc.property(text, fc.constantFrom(undefined, 'SA', 'US'), fc.boolean(), (raw, region, allowPossible) => {
        expect(tryNormalizePhone(raw, { defaultRegion: region, allowPossible }), `${raw} ${region}`).toBe(
          reference(raw, region, allowPossible),
        );
      }),
      { numRuns: 4000 },
    );
  });

  it('a normalizer answers the same with its cache, which stays within its bound', () => {
    const normalizer = createPhoneNormalizer({ defaultRegion: 'SA', cacheSize: 50 });
    for (let pass = 0; pass < 2; pass++) {
      for (const entry of corpus) {
        expect(normalizer.tryNormalize(entry.raw)).toBe(reference(entry.raw, 'SA'));
        expect(normalizer.cacheEntries).toBeLessThanOrEqual(50);
      }
    }
    expect(normalizer.cacheEntries).toBe(50);
    expect(createPhoneNormalizer({ cacheSize: 0 }).cacheEntries).toBe(0);
  });
});
