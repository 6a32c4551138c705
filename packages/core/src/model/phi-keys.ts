import { CallRecord, Employee, Invoice, Message, Payment } from './business.js';
import { Appointment, Condition } from './clinical.js';
import { Consent, Contact, ContactUpdate } from './contact.js';
import { collectMarkedKeys } from './registry.js';

/**
 * Object keys that the canonical model marks as PHI. The default redactor removes the values of
 * these keys wherever they appear in a telemetry payload.
 */
export function canonicalPhiKeys(): Set<string> {
  const keys = new Set<string>();
  for (const schema of [
    Contact,
    ContactUpdate,
    Consent,
    Appointment,
    Condition,
    Invoice,
    Payment,
    Employee,
    Message,
    CallRecord,
  ]) {
    collectMarkedKeys(schema, 'phi', keys);
  }
  return keys;
}
