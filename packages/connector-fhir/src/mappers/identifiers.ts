import {
  IDENTIFIER_TYPE_CODES,
  identifierCodeFor,
  identifierTypeFromCode,
  type PersonIdentifier,
  V2_0203_SYSTEM,
} from '@hmi/core';
import type { Identifier } from '@medplum/fhirtypes';
import type { FhirIdentifierSystems } from '../fhir-config.js';
import { nonEmpty } from './shared.js';

/** HL7 v2 table 0203: the identifier-type code system used by `Identifier.type` (the core's vocabulary). */
export const V2_0203 = V2_0203_SYSTEM;

type IdentifierKind = PersonIdentifier['type'];

/** The parts of a FHIR Identifier the mapping reads. */
export interface IdentifierLike {
  system?: string | undefined;
  value?: string | undefined;
  type?: { coding?: Array<{ code?: string | undefined }> | undefined; text?: string | undefined } | undefined;
}

/**
 * Default systems for Saudi identifiers as NPHIES (the Saudi national platform) names them. An EHR
 * elsewhere (UAE Emirates ID, Egyptian national ID) sets its own in `identifierSystems`.
 */
export const DEFAULT_IDENTIFIER_SYSTEMS: FhirIdentifierSystems = {
  'national-id': 'http://nphies.sa/identifier/nationalid',
  iqama: 'http://nphies.sa/identifier/iqama',
  passport: 'http://nphies.sa/identifier/passportnumber',
};

function systemsOf(configured: FhirIdentifierSystems | undefined): FhirIdentifierSystems {
  return { ...DEFAULT_IDENTIFIER_SYSTEMS, ...configured };
}

/**
 * The first kind of `systemsOf(configured)` whose system is `system`, found without building that
 * merged object per identifier: the defaults' kinds first (a configured value overrides one), then
 * the kinds only configured, in the order the spread would give.
 */
function kindBySystem(system: string, configured: FhirIdentifierSystems | undefined): IdentifierKind | undefined {
  for (const kind of Object.keys(DEFAULT_IDENTIFIER_SYSTEMS) as Array<keyof FhirIdentifierSystems>) {
    const value = configured && Object.hasOwn(configured, kind) ? configured[kind] : DEFAULT_IDENTIFIER_SYSTEMS[kind];
    if (value === system) return kind as IdentifierKind;
  }
  if (!configured) return undefined;
  for (const kind of Object.keys(configured) as Array<keyof FhirIdentifierSystems>) {
    if (!Object.hasOwn(DEFAULT_IDENTIFIER_SYSTEMS, kind) && configured[kind] === system) return kind as IdentifierKind;
  }
  return undefined;
}

/** Which canonical kind a FHIR identifier is: by configured system, then type code, then system name. */
export function identifierKind(identifier: IdentifierLike, configured?: FhirIdentifierSystems): IdentifierKind {
  if (identifier.system) {
    const kind = kindBySystem(identifier.system, configured);
    if (kind) return kind;
  }
  // The core's one vocabulary (HL7 table 0203), shared with the HL7 v2 connector.
  for (const coding of identifier.type?.coding ?? []) {
    const kind = identifierTypeFromCode(coding.code);
    if (kind) return kind;
  }
  const hint = `${identifier.system ?? ''} ${identifier.type?.text ?? ''}`.toLowerCase();
  if (/iqama|residen/.test(hint)) return 'iqama';
  if (/national|civil|emirates|\bnid\b/.test(hint)) return 'national-id';
  if (/passport/.test(hint)) return 'passport';
  if (/\bmrn\b|medical record/.test(hint)) return 'mrn';
  return 'other';
}

/**
 * A FHIR identifier as a canonical one, or undefined when it has no value. Its v2-0203 code is kept
 * in `code` when it says more than the kind (SS, NNSAU; not MR for an MRN), so it is written back.
 */
export function fromFhirIdentifier(identifier: IdentifierLike, configured?: FhirIdentifierSystems): PersonIdentifier | undefined {
  const value = nonEmpty(identifier.value);
  if (!value) return undefined;
  const type = identifierKind(identifier, configured);
  const code = identifier.type?.coding
    ?.find((c) => nonEmpty(c.code))
    ?.code?.trim()
    .toUpperCase();
  const keep = code !== undefined && code !== 'U' && IDENTIFIER_TYPE_CODES[type] !== code;
  return {
    type,
    value,
    ...(nonEmpty(identifier.system) && { system: identifier.system }),
    ...(keep && { code }),
  };
}

/** The system a canonical identifier is written with: its own, else the configured one for its kind. */
export function systemFor(identifier: PersonIdentifier, configured?: FhirIdentifierSystems): string | undefined {
  return nonEmpty(identifier.system) ?? nonEmpty(systemsOf(configured)[identifier.type as keyof FhirIdentifierSystems]);
}

/** A canonical identifier as a FHIR Identifier with a v2-0203 type. */
export function toFhirIdentifier(identifier: PersonIdentifier, configured?: FhirIdentifierSystems): Identifier {
  const system = systemFor(identifier, configured);
  const code = identifierCodeFor(identifier);
  return {
    ...(code && { type: { coding: [{ system: V2_0203, code }] } }),
    ...(system && { system }),
    value: identifier.value,
  };
}

/** The token (`system|value`, or `value` alone) that finds this identifier in a search. */
export function identifierToken(identifier: PersonIdentifier, configured?: FhirIdentifierSystems): string {
  const system = systemFor(identifier, configured);
  return system ? `${system}|${identifier.value}` : identifier.value;
}
