import type { Condition } from '@hmi/core';
import { Condition as ConditionSchema } from '@hmi/core/schemas';
import type { Condition as FhirCondition } from '@medplum/fhirtypes';
import type { z } from 'zod';
import { FhirConditionSchema } from '../fhir-resources.js';
import {
  FHIR_DATE_TIME,
  FHIR_SOURCE_SYSTEM,
  type FhirMapOptions,
  codeFrom,
  invalidField,
  nonEmpty,
  parseOrThrow,
  referenceId,
  toCodings,
  toConcept,
} from './shared.js';

/** Code system of `Condition.clinicalStatus`. */
export const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
/** Code system of `Condition.verificationStatus`. */
export const CONDITION_VER_STATUS = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';

/** The Condition elements the mapper reads, for `_elements`. */
export const CONDITION_ELEMENTS = [
  'clinicalStatus',
  'verificationStatus',
  'category',
  'severity',
  'code',
  'subject',
  'onset',
  'abatement',
  'recordedDate',
] as const;

const CLINICAL = new Set(['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved']);
const VERIFICATION = new Set(['unconfirmed', 'provisional', 'differential', 'confirmed', 'refuted', 'entered-in-error']);

type Quantity = { value?: number | undefined; unit?: string | undefined; code?: string | undefined };
const quantityText = (q: Quantity | undefined) =>
  q?.value !== undefined ? `${q.value}${q.unit || q.code ? ` ${q.unit ?? q.code}` : ''}` : undefined;

function choice(c: z.infer<typeof FhirConditionSchema>, prefix: 'onset' | 'abatement'): string | undefined {
  const period = c[`${prefix}Period`];
  const range = c[`${prefix}Range`];
  const rangeText =
    range && (range.low || range.high) ? `${quantityText(range.low) ?? ''}–${quantityText(range.high) ?? ''}` : undefined;
  return (
    nonEmpty(c[`${prefix}DateTime`]) ??
    nonEmpty(c[`${prefix}String`]) ??
    quantityText(c[`${prefix}Age`]) ??
    nonEmpty(period?.start) ??
    nonEmpty(period?.end) ??
    rangeText
  );
}

/**
 * Maps a FHIR R4 Condition to a canonical Condition: codes with their systems, text, clinical and
 * verification status, categories, severity, onset and abatement (whichever `onset[x]` form the
 * server used, as a string), recorded date, and the patient id (`contactId`) from `subject`.
 * Codes outside the canonical value sets are reported through `onDropped`.
 */
export function fhirConditionToCondition(condition: FhirCondition, options: FhirMapOptions = {}): Condition {
  const c = parseOrThrow(FhirConditionSchema, condition, 'Condition');
  const drop = (field: string, reason: string) => options.onDropped?.({ resourceType: 'Condition', field, reason });
  const clinical = codeFrom(c.clinicalStatus, CONDITION_CLINICAL);
  const verification = codeFrom(c.verificationStatus, CONDITION_VER_STATUS);
  if (clinical && !CLINICAL.has(clinical)) drop('clinicalStatus', 'unknown_code');
  if (verification && !VERIFICATION.has(verification)) drop('verificationStatus', 'unknown_code');
  const contactId = referenceId(c.subject?.reference, 'Patient');
  const severity = toCodings(c.severity)[0];
  const onset = choice(c, 'onset');
  const abatement = choice(c, 'abatement');
  const updatedAt = c.meta?.lastUpdated && !Number.isNaN(Date.parse(c.meta.lastUpdated)) ? c.meta.lastUpdated : undefined;
  return {
    ...(c.id && { id: c.id, source: { system: FHIR_SOURCE_SYSTEM, id: c.id } }),
    ...(contactId && { contactId }),
    code: toCodings(c.code),
    ...(nonEmpty(c.code?.text) && { text: c.code?.text }),
    ...(clinical && CLINICAL.has(clinical) && { clinicalStatus: clinical as Condition['clinicalStatus'] }),
    ...(verification &&
      VERIFICATION.has(verification) && { verificationStatus: verification as Condition['verificationStatus'] }),
    category: (c.category ?? []).flatMap((cat) => toCodings(cat)),
    ...(severity && { severity }),
    ...(onset && { onset }),
    ...(abatement && { abatement }),
    ...(nonEmpty(c.recordedDate) && { recordedDate: c.recordedDate }),
    ...(updatedAt && { updatedAt }),
  };
}

/**
 * Maps a canonical Condition to a FHIR R4 Condition that validates against the FHIR schema. FHIR
 * requires a subject, so `contactId` (the FHIR Patient id) is required. Onset and abatement become
 * `…DateTime` when they are FHIR date-times and `…String` otherwise.
 */
export function conditionToFhirCondition(
  condition: z.input<typeof ConditionSchema>,
  _options: FhirMapOptions = {},
): FhirCondition {
  const c = parseOrThrow(ConditionSchema, condition, 'Condition');
  if (!c.contactId || !/^[A-Za-z0-9\-.]{1,64}$/.test(c.contactId)) {
    throw invalidField('contactId', 'a FHIR Condition needs its patient: contactId must be the FHIR Patient id');
  }
  if (c.recordedDate && !FHIR_DATE_TIME.test(c.recordedDate)) {
    throw invalidField('recordedDate', 'expected a FHIR dateTime');
  }
  const code = toConcept(c.code, c.text);
  const category = c.category.length > 0 ? c.category.map((cat) => toConcept([cat])!).filter(Boolean) : undefined;
  const severity = c.severity ? toConcept([c.severity]) : undefined;
  const id = c.source?.system === FHIR_SOURCE_SYSTEM ? c.source.id : undefined;
  const onset = nonEmpty(c.onset);
  const abatement = nonEmpty(c.abatement);
  return {
    resourceType: 'Condition',
    ...(id && { id }),
    ...(c.clinicalStatus && { clinicalStatus: { coding: [{ system: CONDITION_CLINICAL, code: c.clinicalStatus }] } }),
    ...(c.verificationStatus && {
      verificationStatus: { coding: [{ system: CONDITION_VER_STATUS, code: c.verificationStatus }] },
    }),
    ...(category && category.length > 0 && { category }),
    ...(severity && { severity }),
    ...(code && { code }),
    subject: { reference: `Patient/${c.contactId}` },
    ...(onset && (FHIR_DATE_TIME.test(onset) ? { onsetDateTime: onset } : { onsetString: onset })),
    ...(abatement && (FHIR_DATE_TIME.test(abatement) ? { abatementDateTime: abatement } : { abatementString: abatement })),
    ...(c.recordedDate && { recordedDate: c.recordedDate }),
  };
}
