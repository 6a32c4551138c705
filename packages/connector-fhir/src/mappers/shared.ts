import { type Coding, formatIssues, toValidationIssues, ValidationError } from '@hmi/core';
import type { CodeableConcept, Coding as FhirCoding } from '@medplum/fhirtypes';
import type { z } from 'zod';
import type { FhirIdentifierSystems } from '../fhir-config.js';

/** A value a mapper could not carry over (an unparseable phone, an unknown gender code). */
export interface DroppedValue {
  resourceType: 'Patient' | 'Condition' | 'Appointment';
  /** The element path, e.g. `telecom.2.value`. Never the value. */
  field: string;
  /** Why, e.g. `invalid_phone`. */
  reason: string;
}

/** Options every mapper takes. */
export interface FhirMapOptions {
  /** Region for phone numbers without a country code (`SA`, `AE`, `EG`). */
  defaultRegion?: string | undefined;
  /** Identifier systems of this EHR, per canonical identifier kind. */
  identifierSystems?: FhirIdentifierSystems | undefined;
  /** Told about every value that could not be mapped, so nothing is dropped silently. */
  onDropped?: ((dropped: DroppedValue) => void) | undefined;
}

/** The `system` put on canonical `SourceRef`s read from FHIR. */
export const FHIR_SOURCE_SYSTEM = 'fhir';

/** Parses with zod, or throws a ValidationError that names paths and never values. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = toValidationIssues(result.error);
  throw new ValidationError(`${what} is invalid: ${formatIssues(issues)}`, { issues, code: 'invalid_response' });
}

/** FHIR codings that carry a code, as canonical Codings. */
export function toCodings(
  concept: { coding?: Array<{ system?: string; code?: string; display?: string }> } | undefined,
): Coding[] {
  const out: Coding[] = [];
  for (const c of concept?.coding ?? []) {
    if (!c.code) continue;
    out.push({ code: c.code, ...(c.system && { system: c.system }), ...(c.display && { display: c.display }) });
  }
  return out;
}

/** The code of the first coding in `system` (or of the first coding at all). */
export function codeFrom(
  concept: { coding?: Array<{ system?: string; code?: string }> } | undefined,
  system?: string,
): string | undefined {
  const codings = concept?.coding ?? [];
  return (codings.find((c) => c.code && (!system || c.system === system)) ?? codings.find((c) => c.code))?.code;
}

/** Drops empty strings and undefined (FHIR forbids empty values). */
export function nonEmpty(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  return value.trim().length > 0 ? value : undefined;
}

/** Non-empty strings of an array, or undefined when none is left (FHIR forbids empty arrays). */
export function nonEmptyList(values: readonly string[] | undefined): string[] | undefined {
  const kept = (values ?? []).filter((v) => v.trim().length > 0);
  return kept.length > 0 ? kept : undefined;
}

/** A canonical Coding as a FHIR Coding. */
export function toFhirCoding(coding: Coding): FhirCoding {
  return {
    ...(nonEmpty(coding.system) && { system: coding.system }),
    code: coding.code,
    ...(nonEmpty(coding.display) && { display: coding.display }),
  };
}

/** Canonical Codings as one CodeableConcept, or undefined when there are none. */
export function toConcept(codings: readonly Coding[] | undefined, text?: string): CodeableConcept | undefined {
  const coding = (codings ?? []).filter((c) => nonEmpty(c.code)).map(toFhirCoding);
  const t = nonEmpty(text);
  if (coding.length === 0 && !t) return undefined;
  return { ...(coding.length > 0 && { coding }), ...(t && { text: t }) };
}

/** The id of a `Type/id` reference (relative, absolute or versioned), when it names `type`. */
export function referenceId(reference: string | undefined, type: string): string | undefined {
  if (!reference) return undefined;
  const match = new RegExp(`(?:^|/)${type}/([A-Za-z0-9\\-.]{1,64})(?:/_history/[^/]+)?$`).exec(reference);
  return match?.[1];
}

/** FHIR `dateTime` (any precision, time zone required when a time is given). */
export const FHIR_DATE_TIME =
  /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/;

/** FHIR `instant`: a full date-time with seconds and a time zone. */
export const FHIR_INSTANT =
  /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$/;

/**
 * A canonical date-time as a FHIR `instant`. Kept as written when it already is one; otherwise it
 * must carry a time zone (a local time would be guessed, and a guessed appointment time is wrong).
 */
export function toFhirInstant(value: string, field: string): string {
  if (FHIR_INSTANT.test(value)) return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim())) {
    throw new ValidationError(`${field} must be an ISO 8601 date-time with a time zone`, {
      issues: [{ path: [field], code: 'invalid_format', message: 'expected a date-time with a time zone' }],
    });
  }
  return new Date(ms).toISOString();
}

/** Throws a ValidationError for one field of a canonical record that FHIR cannot take. */
export function invalidField(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, { issues: [{ path: [field], code: 'invalid_value', message }] });
}
