/**
 * `@hmi/connector-asterisk`: the Asterisk REST Interface (ARI). Live calls from the ARI event
 * WebSocket assembled into one CallRecord per call (direction, ring and talk time, Q.850 hangup
 * cause, agent, contact and campaign), reconnect-safe and never duplicated; click-to-call;
 * bridge recordings streamed to a sink; a `calls` stream for reconciliation; and a fake ARI
 * (`./msw`) for host apps' tests.
 * @packageDocumentation
 */
export {
  type AsteriskConnector,
  type AsteriskInstanceOptions,
  asteriskConnector,
  createAsteriskConnector,
} from './asterisk-connector.js';
export { AsteriskConfig, type AsteriskConfigInput } from './asterisk-config.js';
export type { AsteriskContext } from './asterisk-context.js';
export { classifyAsteriskError } from './asterisk-error.js';
export { type AssemblerOutput, CallAssembler } from './calls/call-assembler.js';
export { type CallStore, createMemoryCallStore } from './calls/call-store.js';
export { CallsCheckpoint } from './calls/calls-stream.js';
export type { AriSocket, CallListener, ListenOptions, ListenTimers } from './calls/listen.js';
export { q850 } from './calls/q850.js';
export { OriginateInput, OriginateOutput } from './channels/originate-action.js';
export type {
  GetRecordingOptions,
  RecordingDownload,
  RecordingSink,
} from './recordings/get-recording.js';
export {
  StartRecordingInput,
  StartRecordingOutput,
  StopRecordingInput,
  StopRecordingOutput,
} from './recordings/recording-actions.js';
