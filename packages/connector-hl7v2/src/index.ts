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
export { Hl7v2Config, type Hl7v2ConfigInput, type Hl7v2ConfigOutput } from './hl7v2-config.js';
export {
  createHl7v2Connector,
  type Hl7InboundEvent,
  type Hl7ListenOptions,
  hl7v2Connector,
  type Hl7v2ConnectorInstance,
} from './hl7v2-connector.js';
