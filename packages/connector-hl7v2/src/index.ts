/**
 * `@hmi/connector-hl7v2`: HL7 v2 for hmi. A fast parser (any separators, escapes decoded in the
 * declared charset, exact round trip), batch files, ACKs, an MLLP server (bounded: connections,
 * timeouts, bytes) and client over TCP or TLS, and mappers between ADT/SIU/DG1 messages and the
 * canonical Contact (with its update), Consent, Appointment and Condition.
 * @packageDocumentation
 */
export { Hl7ParseError, type Hl7ParseErrorReason, Hl7TimeZoneError, MllpProtocolError } from './hl7v2-error.js';
export {
  DEFAULT_SEPARATORS,
  type DecodeEscapesOptions,
  decodeEscapes,
  encodeEscapes,
  encodingCharacters,
  Hl7Batch,
  Hl7Message,
  type Hl7Path,
  type Hl7Separators,
  hl7CharsetLabel,
  iterateHl7Batch,
  parseHl7,
  parseHl7Batch,
  parseHl7Path,
} from './parser/index.js';
export { ackCode, buildAck, formatHl7Timestamp, type BuildAckOptions, type Hl7AckCode, newControlId } from './ack.js';
export {
  frameMllp,
  MLLP_END,
  MLLP_START,
  type MllpClient,
  type MllpClientOptions,
  MllpDecoder,
  type MllpDecoderOptions,
  type MllpEndpoint,
  type MllpFrameEvent,
  type MllpMessageContext,
  type MllpServer,
  type MllpServerOptions,
  type MllpTimers,
  createMllpClient,
  type SendMllpOptions,
  sendMllp,
  startMllpServer,
} from './mllp/index.js';
export {
  ADT_MERGE_TRIGGERS,
  ADT_PATIENT_TRIGGERS,
  type AdtContactResult,
  adtToContact,
  adtToMerges,
  type ContactToAdtOptions,
  contactToAdt,
  dg1ToConditions,
  type Hl7MapOptions,
  type Hl7MappedMessage,
  type Hl7MappingIssue,
  type Hl7MergeEvent,
  type Hl7TimeContext,
  hl7Consents,
  hl7Date,
  hl7DateTime,
  isTimeZone,
  mapHl7Message,
  SIU_CANCEL_TRIGGERS,
  SIU_TRIGGERS,
  type SiuAppointmentResult,
  siuToAppointment,
} from './mappers/index.js';
export { Hl7v2Config, type Hl7v2ConfigInput, type Hl7v2ConfigOutput } from './hl7v2-config.js';
export type { Hl7v2Context } from './hl7v2-context.js';
export { AckResult, sendContact, sendMessage } from './messages/message-actions.js';
export { type Hl7InboundEvent, message as messageWebhook } from './webhooks/message-webhook.js';
export {
  createHl7v2Connector,
  type Hl7ListenOptions,
  hl7v2Connector,
  type Hl7v2ConnectorInstance,
} from './hl7v2-connector.js';
