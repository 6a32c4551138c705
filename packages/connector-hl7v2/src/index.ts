/**
 * `@hmi/connector-hl7v2`: HL7 v2 for hmi. A fast parser (any separators, escapes decoded, exact
 * round trip), batch files, ACKs, an MLLP server and client over TCP or TLS, and mappers between
 * ADT/SIU/DG1 messages and the canonical Contact, Consent, Appointment and Condition.
 * @packageDocumentation
 */
export * from './hl7-error.js';
export * from './parser/index.js';
export * from './ack.js';
export * from './mllp/index.js';
export * from './mappers/index.js';
