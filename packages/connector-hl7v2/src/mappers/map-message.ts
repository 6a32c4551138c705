import type { Appointment, Condition, Consent, Contact, ContactUpdate } from '@hmi/core';
import type { Hl7Message } from '../parser/message.js';
import { ADT_MERGE_TRIGGERS, ADT_PATIENT_TRIGGERS, adtToContact, adtToMerges, type Hl7MergeEvent } from './adt.js';
import type { Hl7MapOptions, Hl7MappingIssue } from './datatypes.js';
import { SIU_TRIGGERS, siuToAppointment } from './siu.js';
import { dg1ToConditions } from './condition.js';

/** What {@link mapHl7Message} made of a message. */
export type Hl7MappedMessage =
  | {
      kind: 'patient';
      trigger: string;
      contact: Contact;
      /** The fields the message sent, `null` for each HL7 deleted (`""`). */
      update: ContactUpdate;
      consents: Consent[];
      conditions: Condition[];
      issues: Hl7MappingIssue[];
    }
  | { kind: 'merge'; trigger: string; merges: Hl7MergeEvent[]; issues: Hl7MappingIssue[] }
  | {
      kind: 'appointment';
      trigger: string;
      appointment: Appointment;
      /** True for S15/S16/S17 (and no-shows): reminders for this appointment must stop. */
      stopReminders: boolean;
      patient: Contact | undefined;
      conditions: Condition[];
      issues: Hl7MappingIssue[];
    }
  | { kind: 'unsupported'; messageType: string; trigger: string };

/**
 * Maps a message by its MSH-9: ADT A01/A04/A05/A08/A28/A31 → patient (Contact, its update,
 * Consents, Conditions), ADT A34–A51 merges and identifier changes (A40, A47, A49, …) → merge
 * events that re-key the contact, SIU S12–S17/S26 → appointment (S15–S17 cancel it and stop its
 * reminders); anything else is `unsupported` (not an error: an interface carries many types).
 *
 * Times without an offset are placed in `options.timeZone` (IANA, e.g. `Asia/Riyadh`); without it
 * (or `defaultOffset`) such a time throws an `Hl7TimeZoneError` rather than being read as UTC.
 * What the parser repaired (a malformed MSH-2) is reported in `issues`.
 */
export function mapHl7Message(msg: Hl7Message, options: Hl7MapOptions = {}): Hl7MappedMessage {
  const type = (msg.messageType ?? '').toUpperCase();
  const trigger = (msg.triggerEvent ?? '').toUpperCase();
  const warnings: Hl7MappingIssue[] = msg.warnings.map((w) => {
    const [path = 'MSH-2', reason = w] = w.split(': ');
    return { path, reason };
  });
  if (type === 'ADT' && (ADT_PATIENT_TRIGGERS as readonly string[]).includes(trigger)) {
    const result = adtToContact(msg, options);
    return { kind: 'patient', trigger, ...result, issues: [...warnings, ...result.issues] };
  }
  if (type === 'ADT' && (ADT_MERGE_TRIGGERS as readonly string[]).includes(trigger)) {
    return { kind: 'merge', trigger, merges: adtToMerges(msg, options), issues: warnings };
  }
  if (type === 'SIU' && (SIU_TRIGGERS as readonly string[]).includes(trigger)) {
    const { appointment, stopReminders, patient, issues } = siuToAppointment(msg, options);
    const conditions = dg1ToConditions(msg, options, issues);
    return { kind: 'appointment', trigger, appointment, stopReminders, patient, conditions, issues: [...warnings, ...issues] };
  }
  return { kind: 'unsupported', messageType: type, trigger };
}
