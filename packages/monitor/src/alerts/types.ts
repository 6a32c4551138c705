import type { Duration } from '@hmi/flow';

/** How bad an alert is; sinks may route on it. */
export type AlertSeverity = 'critical' | 'warning' | 'info';

/** Which outcome events count as one exchange succeeding or failing. */
export type OutcomeSource = 'sync' | 'outbox' | 'action' | 'request';

/** Fields every rule has. */
export interface RuleBase {
  /** Names the rule in alerts; defaults to its type (give one when two rules share a type). */
  id?: string;
  /** Default `warning` (`critical` for `circuit-open` and `dlq-depth`). */
  severity?: AlertSeverity;
  /** Only these keys (integration points, connectors, circuits); all by default. */
  only?: readonly string[];
}

/** Fires when one integration point fails `threshold` times in a row; resolves on its next success. */
export interface ConsecutiveFailuresRule extends RuleBase {
  type: 'consecutive-failures';
  /** Failures in a row that fire the alert (N ≥ 1). */
  threshold: number;
  /** Which events count. Default `['sync', 'outbox', 'action']`: outcomes, not single HTTP attempts. */
  sources?: readonly OutcomeSource[];
}

/**
 * Fires when more than `threshold` (a fraction: 0.2 = 20%) of one integration point's exchanges
 * in the sliding `window` failed, once there are at least `minSamples` of them. Resolves when the
 * rate is back at or under the threshold, or too few samples remain in the window.
 */
export interface ErrorRateRule extends RuleBase {
  type: 'error-rate';
  /** Highest tolerated failure fraction, 0–1. */
  threshold: number;
  /** The sliding window, e.g. `5m`. */
  window: Duration;
  /** Fewest exchanges in the window before the rate counts. Default 10. */
  minSamples?: number;
  /** Which events count. Default `['sync', 'outbox', 'action']`. */
  sources?: readonly OutcomeSource[];
}

/** Fires when the dead-letter queue holds more than `threshold` items (polling the store). */
export interface DlqDepthRule extends RuleBase {
  type: 'dlq-depth';
  /** Most dead items tolerated. */
  threshold: number;
  /** How often to poll the store. Default `30s`; `dlq:*` events also trigger an early poll. */
  pollEvery?: Duration;
  /** Count per integration point (pages through the DLQ) instead of one total. Default false. */
  perIntegrationPoint?: boolean;
}

/** Fires when a circuit breaker opens (core's `circuit:open`); resolves on `circuit:close`. */
export interface CircuitOpenRule extends RuleBase {
  type: 'circuit-open';
}

/**
 * Fires on a negative HL7 acknowledgement (AE: application error, AR: application reject) for an
 * integration point, from `hl7:message` telemetry or `reportAck`; resolves on its next AA.
 */
export interface Hl7AckRule extends RuleBase {
  type: 'hl7-ack';
  /** Codes that fire. Default `['AE', 'AR']` (and their enhanced-mode forms CE, CR). */
  codes?: readonly string[];
}

/**
 * Fires when `threshold` or more webhook requests are refused for a bad signature within `window`
 * (someone probing the endpoint, or a rotated secret); resolves when the count drops below.
 */
export interface WebhookSignatureSpikeRule extends RuleBase {
  type: 'webhook-signature-spike';
  threshold: number;
  window: Duration;
  /** Count per webhook route (`stripe`, `twilio`) instead of across all. Default true. */
  perRoute?: boolean;
}

/** An alert rule. */
export type AlertRule =
  | ConsecutiveFailuresRule
  | ErrorRateRule
  | DlqDepthRule
  | CircuitOpenRule
  | Hl7AckRule
  | WebhookSignatureSpikeRule;

/** The kinds of rule. */
export type AlertRuleType = AlertRule['type'];

/**
 * An alert as sinks receive it. Holds names, codes and numbers only: no payload, record, URL or
 * error message, so it can go to a chat webhook or an email without leaking patient data.
 */
export interface Alert {
  /** `<ruleId>:<key>`: stable for one rule and key, so receivers can group. */
  id: string;
  ruleId: string;
  rule: AlertRuleType;
  /** What the alert is about: an integration point, connector, circuit, route, or `total`. */
  key: string;
  severity: AlertSeverity;
  /** `firing` when the condition starts (or is reminded), `resolved` when it clears. */
  status: 'firing' | 'resolved';
  /** One line for humans, built from the fields here. */
  summary: string;
  /** The measured value: failures in a row, the error fraction, DLQ depth, refusals in the window. */
  value: number;
  /** The rule's threshold (1 for event rules). */
  threshold: number;
  /** The last error code seen, when there was one. */
  errorCode?: string;
  /** When the condition started (ms since the epoch). */
  startedAt: number;
  /** When it cleared (resolved alerts). */
  resolvedAt?: number;
  /** When this notification was made. */
  at: number;
}

/** Where alerts go. A sink that throws is reported (`onSinkError`) and does not stop the others. */
export interface AlertSink {
  /** A name for errors and telemetry (`webhook`, `email`, `log`). */
  readonly name: string;
  /** Delivers one alert notification (firing or resolved). */
  send(alert: Alert, options: { signal?: AbortSignal }): Promise<void>;
}
