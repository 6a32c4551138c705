import { identifierCodeFor, identifierTypeFromCode, type PersonIdentifier, type PersonName, type PostalAddress } from '@hmi/core';

type NameUse = NonNullable<PersonName['use']>;
type IdType = PersonIdentifier['type'];
type AddressUse = NonNullable<PostalAddress['use']>;

/** HL7 table 0200 name type → canonical name use. */
export const NAME_USE_FROM_HL7: Record<string, NameUse> = {
  L: 'official',
  C: 'official',
  R: 'official',
  D: 'usual',
  A: 'usual',
  N: 'nickname',
  S: 'anonymous',
  M: 'maiden',
  B: 'old',
  BAD: 'old',
  TEMP: 'temp',
  NAV: 'temp',
};

/** Canonical name use → HL7 table 0200 name type. */
export const NAME_USE_TO_HL7: Record<NameUse, string> = {
  official: 'L',
  usual: 'D',
  nickname: 'N',
  anonymous: 'S',
  maiden: 'M',
  old: 'B',
  temp: 'TEMP',
};

/**
 * HL7 table 0203 identifier type → canonical identifier type, through the core's one vocabulary
 * (`identifierTypeFromCode`, shared with the FHIR connector); an authority naming Iqama wins.
 */
export function identifierType(code: string, authority: string): IdType {
  if (/IQAMA/i.test(authority)) return 'iqama';
  return identifierTypeFromCode(code) ?? 'other';
}

/** The table 0203 code an identifier is written with (its own code when it still fits its kind). */
export function identifierTypeCode(identifier: PersonIdentifier): string {
  return identifierCodeFor(identifier) ?? 'U';
}

/** HL7 table 0190 address type → canonical address use. */
export const ADDRESS_USE_FROM_HL7: Record<string, AddressUse> = {
  H: 'home',
  P: 'home',
  M: 'home',
  B: 'work',
  O: 'work',
  C: 'temp',
  BA: 'old',
  BI: 'billing',
};

/** Canonical address use → HL7 table 0190. */
export const ADDRESS_USE_TO_HL7: Record<AddressUse, string> = { home: 'H', work: 'B', temp: 'C', old: 'BA', billing: 'BI' };

/** HL7 administrative sex (table 0001) → canonical gender. */
export const GENDER_FROM_HL7: Record<string, 'male' | 'female' | 'other' | 'unknown'> = {
  M: 'male',
  F: 'female',
  O: 'other',
  A: 'other',
  X: 'other',
  U: 'unknown',
  N: 'unknown',
};

/** Canonical gender → HL7 administrative sex. */
export const GENDER_TO_HL7 = { male: 'M', female: 'F', other: 'O', unknown: 'U' } as const;

// ISO 639-2 (three letters, as HL7 table 0296 uses) → ISO 639-1, for the languages hmi's users meet.
const LANGUAGES: Record<string, string> = {
  ara: 'ar',
  eng: 'en',
  fra: 'fr',
  fre: 'fr',
  urd: 'ur',
  hin: 'hi',
  ben: 'bn',
  tgl: 'tl',
  fil: 'tl',
  ind: 'id',
  per: 'fa',
  fas: 'fa',
  tur: 'tr',
  spa: 'es',
  deu: 'de',
  ger: 'de',
  mal: 'ml',
  tam: 'ta',
  nep: 'ne',
  amh: 'am',
  som: 'so',
  rus: 'ru',
  zho: 'zh',
  chi: 'zh',
  arabic: 'ar',
  english: 'en',
  french: 'fr',
  urdu: 'ur',
  hindi: 'hi',
};

/** A BCP 47 tag from an HL7 language code or name (`ara` → `ar`, `en-US` stays), when it is one. */
export function languageTag(code: string): string | undefined {
  const c = code.trim();
  if (c === '') return undefined;
  const mapped = LANGUAGES[c.toLowerCase()];
  if (mapped) return mapped;
  return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(c) ? c : undefined;
}
