/**
 * `@hmi/otel`: OpenTelemetry for hmi. `instrumentTelemetry(telemetry)` turns the events of an hmi
 * telemetry bus into spans (HTTP attempts, sync runs, actions, webhooks, outbox deliveries) and
 * metrics, through `@opentelemetry/api` only: bring your own SDK and exporter.
 * @packageDocumentation
 */
export {
  instrumentTelemetry,
  type InstrumentTelemetryOptions,
  INSTRUMENTATION_NAME,
  INSTRUMENTATION_VERSION,
  openTelemetryName,
} from './instrument-telemetry.js';
export { HMI_ATTR, LABEL_ATTR } from './attributes.js';
