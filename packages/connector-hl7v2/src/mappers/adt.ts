import type { Condition, Consent, PersonIdentifier } from '@hmi/core';
import { Contact, ContactUpdate } from '@hmi/core/schemas';
import type { Hl7Message } from '../parser/message.js';
import { dg1ToConditions } from './condition.js';
import { hl7Consents } from './consent.js';
import { type Hl7MapOptions, type Hl7MappingIssue, messageTime, reps, value } from './datatypes.js';
import { mappingError } from './errors.js';
import { cxIdentifier, patientPid, pidIdentifiers, pidToContact, pidToUpdate } from './person.js';

/** ADT triggers that carry a patient's demographics. */
export const ADT_PATIENT_TRIGGERS = ['A01', 'A04', 'A05', 'A08', 'A28', 'A31'] as const;

/** What an ADT message says about one patient. */
export interface AdtContactResult {
  /** The patient, validated against the canonical Contact (values HL7 deleted are left out). */
  contact: Contact;
  /**
   * The same patient as a canonical update: only the fields the message sent, `null` for each
   * one HL7 deleted with `""` (the CRM must learn that the phone was removed), keyed by
   * `identifiers`.
   */
  update: ContactUpdate;
  /** Consents from PD1 and CON. */
  consents: Consent[];
  /** Diagnoses from DG1. */
  conditions: Condition[];
  /** Values that were present but could not be used (an unparseable phone, a bad date). */
  issues: Hl7MappingIssue[];
}

/**
 * Maps an ADT A01/A04/A05/A08/A28/A31 to a Contact (PID), its consents (PD1, CON) and
 * diagnoses (DG1). Throws a ValidationError when no PID names the patient (none, or only empty
 * ones: an empty patient is never made). `source.id` is MSH-10.
 */
export function adtToContact(msg: Hl7Message, options: Hl7MapOptions = {}): AdtContactResult {
  if (msg.count('PID') === 0) throw mappingError('no PID segment', 'PID');
  const issues: Hl7MappingIssue[] = [];
  const controlId = msg.controlId;
  const updatedAt = messageTime(msg, options);
  const pid = patientPid(msg);
  if (!pid) throw mappingError('every PID is empty', 'PID');
  const read = pidToContact(msg, pid, options, issues);
  const contact = Contact.parse({
    ...read,
    ...(controlId && { source: { system: 'hl7v2', id: controlId } }),
    ...(updatedAt && { updatedAt }),
  });
  const update = ContactUpdate.parse({
    identifiers: contact.identifiers,
    ...pidToUpdate(msg, pid, contact),
    ...(contact.source && { source: contact.source }),
    ...(updatedAt && { updatedAt }),
  });
  return {
    contact,
    update,
    consents: hl7Consents(msg, options, issues),
    conditions: dg1ToConditions(msg, options, issues),
    issues,
  };
}

/**
 * A patient merge (ADT A40 and kin: the surviving record absorbs the others) or an identifier
 * change (A47 patient identifier list, A49 account number): either way the CRM re-keys the
 * contact found by `merged` to `surviving`.
 */
export interface Hl7MergeEvent {
  type: 'merge' | 'identifier-change';
  /** MSH-9.2, e.g. `A40`. */
  trigger: string;
  /** Identifiers of the surviving patient (PID-3). */
  surviving: PersonIdentifier[];
  /** Identifiers of the record merged away (MRG-1, MRG-4). */
  merged: PersonIdentifier[];
  /** EVN-2 or MSH-7. */
  occurredAt?: string;
  /**
   * The canonical update that re-keys the contact: `identifiers` the surviving ones,
   * `previousIdentifiers` those it was known by.
   */
  update: ContactUpdate;
}

/** Merge and identifier-change triggers (each PID followed by its MRG). */
export const ADT_MERGE_TRIGGERS = [
  'A34',
  'A35',
  'A36',
  'A39',
  'A40',
  'A41',
  'A42',
  'A46',
  'A47',
  'A48',
  'A49',
  'A50',
  'A51',
] as const;

// Triggers that change an identifier rather than merge two records.
const CHANGE_TRIGGERS = new Set(['A46', 'A47', 'A48', 'A49', 'A50', 'A51']);

/**
 * One event per PID/MRG pair of an ADT A40 (also A34–A42: merges) or A47/A49 (also A46, A48,
 * A50, A51: identifier changes). Prior identifiers come from MRG-1 (patient identifiers), MRG-4
 * (patient id) and, for account-number changes, MRG-3 against PID-18. Throws a ValidationError
 * when a pair lacks identifiers.
 */
export function adtToMerges(msg: Hl7Message, options: Hl7MapOptions = {}): Hl7MergeEvent[] {
  const pairs = Math.max(msg.count('PID'), msg.count('MRG'));
  if (pairs === 0) throw mappingError('no PID/MRG pair', 'MRG');
  const occurredAt = messageTime(msg, options);
  const trigger = (msg.triggerEvent ?? '').toUpperCase();
  const type = CHANGE_TRIGGERS.has(trigger) ? 'identifier-change' : 'merge';
  const out: Hl7MergeEvent[] = [];
  for (let i = 1; i <= pairs; i++) {
    const surviving = pidIdentifiers(msg, `PID[${i}]`);
    const merged: PersonIdentifier[] = [];
    const add = (id: PersonIdentifier | undefined) => {
      if (id && !merged.some((m) => m.value === id.value && m.type === id.type)) merged.push(id);
    };
    for (const { rep } of reps(msg, `MRG[${i}]-1`)) add(cxIdentifier(rep, 'mrn'));
    for (const { rep } of reps(msg, `MRG[${i}]-4`)) add(cxIdentifier(rep, 'mrn'));
    // Account numbers (MRG-3 prior, PID-18 new): what A49 changes, sometimes alone.
    const priorAccounts = reps(msg, `MRG[${i}]-3`).flatMap(({ rep }) => cxIdentifier(rep, 'other') ?? []);
    const account = value(msg, `PID[${i}]-18.1`);
    if (priorAccounts.length > 0 && account && !surviving.some((s) => s.value === account)) {
      surviving.push({ type: 'other', value: account, code: 'AN' });
    }
    for (const prior of priorAccounts) add({ ...prior, code: prior.code ?? 'AN' });
    if (surviving.length === 0) throw mappingError(`PID ${i} has no identifiers`, `PID[${i}]-3`);
    if (merged.length === 0) throw mappingError(`MRG ${i} has no prior identifiers`, `MRG[${i}]-1`);
    const update = ContactUpdate.parse({
      identifiers: surviving,
      previousIdentifiers: merged,
      ...(msg.controlId && { source: { system: 'hl7v2', id: msg.controlId } }),
      ...(occurredAt && { updatedAt: occurredAt }),
    });
    out.push({ type, trigger, surviving, merged, ...(occurredAt && { occurredAt }), update });
  }
  return out;
}
