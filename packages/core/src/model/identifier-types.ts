// No zod here: this module is on the root import path (`@hmi/core`), which stays free of schema
// libraries; the schema of the same name is in ./identifier-type-schema.ts (`@hmi/core/schemas`).

/**
 * The kinds of person identifier the canonical model knows. One vocabulary for every connector:
 * HL7 v2 (CX-5) and FHIR (`Identifier.type`) both read and write HL7 table 0203 codes through
 * {@link identifierTypeFromCode} and {@link identifierCodeFor}, so the same patient seen by either
 * connector gets the same identifiers and deduplication works across sources.
 */
export const PERSON_IDENTIFIER_TYPES = [
  'mrn',
  'national-id',
  'iqama',
  'passport',
  'driver-license',
  'insurance',
  'other',
] as const;
/** A kind of person identifier. */
export type PersonIdentifierType = (typeof PERSON_IDENTIFIER_TYPES)[number];

/** HL7 table 0203 (identifier type), the code system FHIR names `v2-0203`. */
export const V2_0203_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0203';

// Table 0203 codes (and the variants real senders write) → canonical kind. SS is the US social
// security number, the national identifier there, as NNxxx codes are elsewhere.
const FROM_CODE: Readonly<Record<string, PersonIdentifierType>> = Object.freeze({
  MR: 'mrn',
  MRN: 'mrn',
  MRT: 'mrn',
  PI: 'mrn',
  PT: 'mrn',
  PN: 'mrn',
  NI: 'national-id',
  NH: 'national-id',
  NID: 'national-id',
  CZ: 'national-id',
  SS: 'national-id',
  SSN: 'national-id',
  PRC: 'iqama',
  IQ: 'iqama',
  IQAMA: 'iqama',
  PPN: 'passport',
  PP: 'passport',
  DL: 'driver-license',
  DN: 'other',
  MB: 'insurance',
  MC: 'insurance',
  MA: 'insurance',
  MI: 'insurance',
  SN: 'insurance',
  HC: 'insurance',
});

/** The code each kind is written with when the identifier carries no code of its own. */
export const IDENTIFIER_TYPE_CODES: Readonly<Record<PersonIdentifierType, string | undefined>> = Object.freeze({
  mrn: 'MR',
  'national-id': 'NI',
  iqama: 'PRC',
  passport: 'PPN',
  'driver-license': 'DL',
  insurance: 'MB',
  other: undefined,
});

/**
 * The canonical kind of an HL7 table 0203 code (`MR`, `SS`, `DL`, `NNSAU`, …), case-insensitive;
 * undefined for an empty or unknown code (the caller decides: HL7 and FHIR both use `other`).
 */
export function identifierTypeFromCode(code: string | undefined): PersonIdentifierType | undefined {
  if (!code) return undefined;
  const c = code.trim().toUpperCase();
  return FROM_CODE[c] ?? (/^NN[A-Z]{3}$/.test(c) ? 'national-id' : undefined);
}

/**
 * The table 0203 code to write for an identifier: the code it was read with when that code still
 * means the same kind (so `SS` stays `SS`, not `NI`), else the kind's default code.
 */
export function identifierCodeFor(identifier: { type: PersonIdentifierType; code?: string | undefined }): string | undefined {
  const own = identifier.code?.trim().toUpperCase();
  if (own && identifierTypeFromCode(own) === identifier.type) return own;
  if (own && identifier.type === 'other') return own;
  return IDENTIFIER_TYPE_CODES[identifier.type];
}
