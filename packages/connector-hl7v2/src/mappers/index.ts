export type { Hl7MapOptions, Hl7MappingIssue, Hl7TimeContext } from './datatypes.js';
export { isTimeZone } from './time-zone.js';
export { hl7Date, hl7DateTime } from './datatypes.js';
export {
  ADT_MERGE_TRIGGERS,
  ADT_PATIENT_TRIGGERS,
  type AdtContactResult,
  adtToContact,
  adtToMerges,
  type Hl7MergeEvent,
} from './adt.js';
export { hl7Consents } from './consent.js';
export { dg1ToConditions } from './condition.js';
export { SIU_CANCEL_TRIGGERS, SIU_TRIGGERS, type SiuAppointmentResult, siuToAppointment } from './siu.js';
export { type ContactToAdtOptions, contactToAdt } from './contact-to-adt.js';
export { type Hl7MappedMessage, mapHl7Message } from './map-message.js';
