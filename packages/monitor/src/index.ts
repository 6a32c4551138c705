/**
 * `@hmi/monitor`: alerts and metrics for hmi data flows. `createAlertManager` evaluates rules
 * (consecutive failures, error rate over a window, dead-letter depth, open circuits, HL7 AE/AR
 * acknowledgements, webhook signature spikes) from the telemetry bus and notifies sinks (a webhook,
 * email through the SendGrid connector, a logger), deduplicated and throttled, with resolve
 * notices. `createMetrics` counts and times the bus for Prometheus (prom-client, a private registry).
 * @packageDocumentation
 */
export * from './telemetry-events.js';
export type * from './alerts/types.js';
export { AlertRuleSchema } from './alerts/rule-schema.js';
export { createAlertManager, type AlertManager, type AlertManagerOptions } from './alerts/alert-manager.js';
export { logSink, type LogSinkOptions } from './alerts/sinks/log-sink.js';
export { webhookSink, type WebhookSinkOptions } from './alerts/sinks/webhook-sink.js';
export { emailSink, type EmailSender, type EmailSinkOptions } from './alerts/sinks/email-sink.js';
export { createMetrics, type Metrics, type MetricsOptions } from './metrics/create-metrics.js';
