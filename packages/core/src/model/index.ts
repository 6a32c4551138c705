import { collectMarkedKeys } from './registry.js';
import { Appointment, Condition } from './clinical.js';
import { CallRecord, Employee, Invoice, Message, Payment } from './business.js';
import { Consent, Contact, ContactUpdate } from './contact.js';

export * from './registry.js';
export * from './common.js';
export * from './identifier-types.js';
export * from './contact.js';
export * from './clinical.js';
export * from './business.js';
export * from './money.js';

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
