import { type Condition, type Consent, Contact, type PersonIdentifier } from '@hmi/core';
import type { Hl7Message } from '../parser/message.js';
import { dg1ToConditions } from './condition.js';
import { hl7Consents } from './consent.js';
import { type Hl7MapOptions, type Hl7MappingIssue, messageTime, reps } from './datatypes.js';
import { mappingError } from './errors.js';
import { cxIdentifier, pidIdentifiers, pidToContact } from './person.js';

/** ADT triggers that carry a patient's demographics. */
export const ADT_PATIENT_TRIGGERS = ['A01', 'A04', 'A05', 'A08', 'A28', 'A31'] as const;

/** What an ADT message says about one patient. */
export interface AdtContactResult {
  /** The patient, validated against the canonical Contact. */
  contact: Contact;
  /** Consents from PD1 and CON. */
  consents: Consent[];
  /** Diagnoses from DG1. */
  conditions: Condition[];
  /** Values that were present but could not be used (an unparseable phone, a bad date). */
  issues: Hl7MappingIssue[];
}

/**
 * Maps an ADT A01/A04/A05/A08/A28/A31 to a Contact (PID), its consents (PD1, CON) and
 * diagnoses (DG1). Throws a ValidationError when there is no PID. `source.id` is MSH-10.
 */
export function adtToContact(msg: Hl7Message, options: Hl7MapOptions = {}): AdtContactResult {
  if (msg.count('PID') === 0) throw mappingError('no PID segment', 'PID');
  const issues: Hl7MappingIssue[] = [];
  const controlId = msg.controlId;
  const updatedAt = messageTime(msg, options);
  const contact = Contact.parse({
    ...pidToContact(msg, 'PID[1]', options, issues),
    ...(controlId && { source: { system: 'hl7v2', id: controlId } }),
    ...(updatedAt && { updatedAt }),
  });
  return { contact, consents: hl7Consents(msg, options, issues), conditions: dg1ToConditions(msg, options, issues), issues };
}

/** A patient merge (ADT A40 and kin): the surviving record absorbs the others. */
export interface Hl7MergeEvent {
  type: 'merge';
  /** MSH-9.2, e.g. `A40`. */
  trigger: string;
  /** Identifiers of the surviving patient (PID-3). */
  surviving: PersonIdentifier[];
  /** Identifiers of the record merged away (MRG-1, MRG-4). */
  merged: PersonIdentifier[];
  /** EVN-2 or MSH-7. */
  occurredAt?: string;
}

/** Merge triggers (each PID followed by its MRG). */
export const ADT_MERGE_TRIGGERS = ['A34', 'A36', 'A39', 'A40'] as const;

/**
 * One merge event per PID/MRG pair of an ADT A40 (also A34, A36, A39). Throws a ValidationError
 * when a pair lacks identifiers.
 */
export function adtToMerges(msg: Hl7Message, options: Hl7MapOptions = {}): Hl7MergeEvent[] {
  const pairs = Math.max(msg.count('PID'), msg.count('MRG'));
  if (pairs === 0) throw mappingError('no PID/MRG pair', 'MRG');
  const occurredAt = messageTime(msg, options);
  const out: Hl7MergeEvent[] = [];
  for (let i = 1; i <= pairs; i++) {
    const surviving = pidIdentifiers(msg, `PID[${i}]`);
    const merged: PersonIdentifier[] = reps(msg, `MRG[${i}]-1`).flatMap(({ rep }) => cxIdentifier(rep, 'mrn') ?? []);
    for (const { rep } of reps(msg, `MRG[${i}]-4`)) {
      const id = cxIdentifier(rep, 'mrn');
      if (id && !merged.some((m) => m.value === id.value && m.type === id.type)) merged.push(id);
    }
    if (surviving.length === 0) throw mappingError(`PID ${i} has no identifiers`, `PID[${i}]-3`);
    if (merged.length === 0) throw mappingError(`MRG ${i} has no prior identifiers`, `MRG[${i}]-1`);
    out.push({ type: 'merge', trigger: msg.triggerEvent ?? '', surviving, merged, ...(occurredAt && { occurredAt }) });
  }
  return out;
}
