import type { Appointment, Condition, Consent, Contact } from '@hmi/core';
import type { Hl7Message } from '../parser/message.js';
import { ADT_MERGE_TRIGGERS, ADT_PATIENT_TRIGGERS, adtToContact, adtToMerges, type Hl7MergeEvent } from './adt.js';
import type { Hl7MapOptions, Hl7MappingIssue } from './datatypes.js';
import { siuToAppointment } from './siu.js';
import { dg1ToConditions } from './condition.js';

/** What {@link mapHl7Message} made of a message. */
export type Hl7MappedMessage =
  | {
      kind: 'patient';
      trigger: string;
      contact: Contact;
      consents: Consent[];
      conditions: Condition[];
      issues: Hl7MappingIssue[];
    }
  | { kind: 'merge'; trigger: string; merges: Hl7MergeEvent[]; issues: Hl7MappingIssue[] }
  | {
      kind: 'appointment';
      trigger: string;
      appointment: Appointment;
      patient: Contact | undefined;
      conditions: Condition[];
      issues: Hl7MappingIssue[];
    }
  | { kind: 'unsupported'; messageType: string; trigger: string };

/**
 * Maps a message by its MSH-9: ADT A01/A04/A05/A08/A28/A31 → patient (Contact, Consents,
 * Conditions), ADT A34/A36/A39/A40 → merges, SIU S12–S15/S26 → appointment; anything else is
 * `unsupported` (not an error: an interface carries many message types).
 */
export function mapHl7Message(msg: Hl7Message, options: Hl7MapOptions = {}): Hl7MappedMessage {
  const type = (msg.messageType ?? '').toUpperCase();
  const trigger = (msg.triggerEvent ?? '').toUpperCase();
  if (type === 'ADT' && (ADT_PATIENT_TRIGGERS as readonly string[]).includes(trigger)) {
    return { kind: 'patient', trigger, ...adtToContact(msg, options) };
  }
  if (type === 'ADT' && (ADT_MERGE_TRIGGERS as readonly string[]).includes(trigger)) {
    return { kind: 'merge', trigger, merges: adtToMerges(msg, options), issues: [] };
  }
  if (type === 'SIU' && /^S(1[2-5]|26)$/.test(trigger)) {
    const { appointment, patient, issues } = siuToAppointment(msg, options);
    const conditions = dg1ToConditions(msg, options, issues);
    return { kind: 'appointment', trigger, appointment, patient, conditions, issues };
  }
  return { kind: 'unsupported', messageType: type, trigger };
}
