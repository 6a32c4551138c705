import { ConfigError, isHmiError, type Telemetry } from '@hmi/core';
import { type Clock, type Duration, parseDuration, type StateStore, systemClock } from '@hmi/flow';
import '../telemetry-events.js';
import { createEvaluator, type Observation, type ResolvedRule, type RuleEvaluator } from './evaluators.js';
import { parseRules } from './rule-schema.js';
import { type MonitorSignal, signalsOf } from './signals.js';
import type { Alert, AlertRule, AlertSink } from './types.js';

/** Options of {@link createAlertManager}. */
export interface AlertManagerOptions {
  rules: readonly AlertRule[];
  sinks: readonly AlertSink[];
  /** The bus the rules listen to: share it with the connectors, syncs and webhook handler. */
  telemetry: Telemetry;
  /** The state store, for `dlq-depth` rules. */
  store?: StateStore;
  /** Time source; `createManualClock()` from `@hmi/flow/testing` in tests. */
  clock?: Clock;
  /** At most one firing notification per rule and key within this interval. Default `15m`. */
  throttle?: Duration;
  /** Re-notify an alert that keeps firing this often; off by default. */
  repeatEvery?: Duration;
  /** How often windows are re-evaluated and due polls run. Default `5s`. */
  evaluateEvery?: Duration;
  /** Called when a sink throws (after the `alert:sink-failed` event). */
  onSinkError?: (error: unknown, sink: string, alert: Alert) => void;
  /** Called when polling the store fails; the manager keeps going. */
  onError?: (error: unknown) => void;
}

/** A running alert manager. */
export interface AlertManager {
  /** Subscribes to telemetry and starts evaluating. Idempotent. */
  start(): void;
  /** Unsubscribes, stops the evaluation loop and waits for notifications in flight. */
  stop(): Promise<void>;
  /** Re-evaluates every rule now (polls the DLQ, slides windows), then waits for notifications. */
  evaluate(): Promise<void>;
  /** Waits until every notification sent so far has settled. */
  flush(): Promise<void>;
  /** The alerts firing now. */
  firing(): Alert[];
  /**
   * Reports an HL7 acknowledgement code (`AA`, `AE`, `AR`, `CA`, `CE`, `CR`) for an integration
   * point, for HL7 integrations that do not share the telemetry bus. Feeds `hl7-ack` rules.
   */
  reportAck(integrationPoint: string, code: string): void;
  /** Reports one exchange's outcome for an integration point (source `action`), for host code. */
  reportOutcome(integrationPoint: string, ok: boolean, errorCode?: string): void;
}

interface AlertState {
  active: boolean;
  startedAt: number;
  /** Whether the current episode's firing notification went out (so a resolve is owed). */
  notified: boolean;
  lastFiringSentAt: number | undefined;
  value: number;
  errorCode: string | undefined;
  samples: number | undefined;
}

/**
 * Creates the alert manager: rules evaluated from the telemetry bus (and the store, for the DLQ),
 * notifications to sinks, deduplicated (one notification per rule and key while it fires) and
 * throttled (at most one firing notification per rule and key per `throttle`), with a resolve
 * notification when the condition clears. Call `start()`, and `stop()` on shutdown.
 */
export function createAlertManager(options: AlertManagerOptions): AlertManager {
  const rules = parseRules(options.rules);
  if (!Array.isArray(options.sinks)) throw new ConfigError('createAlertManager needs a sinks array');
  for (const sink of options.sinks) {
    if (!sink || typeof sink.send !== 'function') throw new ConfigError('every alert sink needs a send function');
  }
  const { telemetry } = options;
  if (!telemetry || typeof telemetry.onAny !== 'function') throw new ConfigError('createAlertManager needs a telemetry bus');
  const clock = options.clock ?? systemClock;
  const throttleMs = parseDuration(options.throttle ?? '15m', 'throttle');
  const repeatMs = options.repeatEvery === undefined ? undefined : parseDuration(options.repeatEvery, 'repeatEvery');
  const tickMs = Math.max(1, parseDuration(options.evaluateEvery ?? '5s', 'evaluateEvery'));
  const evaluators: RuleEvaluator[] = rules.map((rule) => createEvaluator(rule, options.store));
  const states = new Map<string, { rule: ResolvedRule; key: string; state: AlertState }>();
  const inFlight = new Set<Promise<void>>();
  const controller = new AbortController();
  let unsubscribe: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let ticking: Promise<void> | undefined;

  const alertOf = (rule: ResolvedRule, key: string, s: AlertState, status: Alert['status'], now: number): Alert => {
    const alert: Alert = {
      id: `${rule.id}:${key}`,
      ruleId: rule.id,
      rule: rule.type,
      key,
      severity: rule.severity,
      status,
      summary: '',
      value: s.value,
      threshold: rule.threshold,
      ...(s.errorCode !== undefined && { errorCode: s.errorCode }),
      startedAt: s.startedAt,
      ...(status === 'resolved' && { resolvedAt: now }),
      at: now,
    };
    alert.summary = summarize(rule, alert, s.samples);
    return alert;
  };

  const dispatch = (alert: Alert) => {
    for (const sink of options.sinks) {
      const sent = (async () => {
        try {
          await sink.send(alert, { signal: controller.signal });
        } catch (error) {
          const errorCode = isHmiError(error) ? error.code : 'sink_failed';
          telemetry.emit('alert:sink-failed', { alertId: alert.id, sink: sink.name, errorCode });
          try {
            options.onSinkError?.(error, sink.name, alert);
          } catch {
            // A failing error handler must not break the other sinks.
          }
        }
      })();
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent));
    }
  };

  const sendFiring = (rule: ResolvedRule, key: string, s: AlertState, now: number) => {
    s.notified = true;
    s.lastFiringSentAt = now;
    const alert = alertOf(rule, key, s, 'firing', now);
    telemetry.emit('alert:firing', { alertId: alert.id, ruleId: rule.id, key, severity: rule.severity, measured: s.value });
    dispatch(alert);
  };

  const throttled = (s: AlertState, now: number) => s.lastFiringSentAt !== undefined && now - s.lastFiringSentAt < throttleMs;

  const apply = (rule: ResolvedRule, obs: Observation, now: number) => {
    const id = `${rule.id}:${obs.key}`;
    let entry = states.get(id);
    if (!entry) {
      if (!obs.active) return;
      entry = {
        rule,
        key: obs.key,
        state: {
          active: false,
          startedAt: now,
          notified: false,
          lastFiringSentAt: undefined,
          value: 0,
          errorCode: undefined,
          samples: undefined,
        },
      };
      states.set(id, entry);
    }
    const s = entry.state;
    s.value = obs.value;
    s.samples = obs.samples;
    if (obs.errorCode !== undefined) s.errorCode = obs.errorCode;
    if (obs.active) {
      if (!s.active) {
        s.active = true;
        s.startedAt = now;
        s.notified = false;
        if (throttled(s, now)) telemetry.emit('alert:throttled', { alertId: id, ruleId: rule.id, key: obs.key });
        else sendFiring(rule, obs.key, s, now);
      } else if (s.notified && repeatMs !== undefined && now - (s.lastFiringSentAt ?? now) >= repeatMs) {
        sendFiring(rule, obs.key, s, now);
      }
      return;
    }
    if (!s.active) return;
    s.active = false;
    if (s.notified) {
      s.notified = false;
      const alert = alertOf(rule, obs.key, s, 'resolved', now);
      telemetry.emit('alert:resolved', { alertId: id, ruleId: rule.id, key: obs.key, durationMs: now - s.startedAt });
      dispatch(alert);
    }
    s.errorCode = undefined;
  };

  const onSignal = (signal: MonitorSignal) => {
    const now = clock.now();
    for (const evaluator of evaluators) {
      for (const obs of evaluator.handle(signal, now)) apply(evaluator.rule, obs, now);
    }
  };

  const tick = async (force: boolean) => {
    const now = clock.now();
    for (const evaluator of evaluators) {
      let observations: Observation[];
      try {
        const result = evaluator.tick(now, force);
        // Synchronous results are applied at once: an await here would let newer events slip in
        // between, and the stale observation would undo them.
        observations = Array.isArray(result) ? result : await result;
      } catch (error) {
        options.onError?.(error);
        continue;
      }
      for (const obs of observations) apply(evaluator.rule, obs, clock.now());
    }
    const later = clock.now();
    for (const [id, { rule, key, state }] of states) {
      // A firing held back by the throttle goes out once the throttle allows, if still firing.
      if (state.active && !state.notified && !throttled(state, later)) sendFiring(rule, key, state, later);
      else if (
        state.active &&
        state.notified &&
        repeatMs !== undefined &&
        later - (state.lastFiringSentAt ?? later) >= repeatMs
      ) {
        sendFiring(rule, key, state, later);
      } else if (!state.active && !throttled(state, later)) states.delete(id);
    }
  };

  /** Runs ticks one at a time: a slow store poll never overlaps the next. */
  const runTick = (force: boolean): Promise<void> => {
    const previous = ticking ?? Promise.resolve();
    const next = previous.then(() => tick(force));
    ticking = next.finally(() => {
      if (ticking === next) ticking = undefined;
    });
    return next;
  };

  const flush = async () => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };

  return {
    start() {
      if (unsubscribe || controller.signal.aborted) return;
      unsubscribe = telemetry.onAny((name, payload) => {
        for (const signal of signalsOf(name, payload)) onSignal(signal);
      });
      loop = (async () => {
        await runTick(true).catch((error) => options.onError?.(error));
        while (!controller.signal.aborted) {
          try {
            await clock.sleep(tickMs, controller.signal);
          } catch {
            return;
          }
          await runTick(false).catch((error) => options.onError?.(error));
        }
      })();
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      await flush();
      controller.abort();
      await loop;
      await ticking?.catch(() => {});
    },
    async evaluate() {
      await runTick(true);
      await flush();
    },
    flush,
    firing() {
      const now = clock.now();
      return [...states.values()].filter((e) => e.state.active).map((e) => alertOf(e.rule, e.key, e.state, 'firing', now));
    },
    reportAck(integrationPoint, code) {
      if (typeof integrationPoint !== 'string' || integrationPoint.length === 0 || typeof code !== 'string') {
        throw new ConfigError('reportAck needs an integration point and an acknowledgement code');
      }
      onSignal({ kind: 'ack', key: integrationPoint, code: code.trim().toUpperCase() });
    },
    reportOutcome(integrationPoint, ok, errorCode) {
      if (typeof integrationPoint !== 'string' || integrationPoint.length === 0) {
        throw new ConfigError('reportOutcome needs an integration point');
      }
      onSignal({ kind: 'outcome', source: 'action', key: integrationPoint, ok: ok === true, ...(errorCode && { errorCode }) });
    },
  };
}

function summarize(rule: ResolvedRule, alert: Alert, samples: number | undefined): string {
  const prefix = alert.status === 'resolved' ? 'RESOLVED ' : '';
  const err = alert.errorCode ? ` (last error ${alert.errorCode})` : '';
  let text: string;
  switch (rule.type) {
    case 'consecutive-failures':
      text = `${alert.key}: ${alert.value} consecutive failures, threshold ${rule.threshold}${err}`;
      break;
    case 'error-rate':
      text = `${alert.key}: error rate ${pct(alert.value)} ${rule.detail ?? ''} over ${samples ?? 0} exchanges, threshold ${pct(rule.threshold)}${err}`;
      break;
    case 'dlq-depth':
      text = `dead-letter queue${alert.key === 'total' ? '' : ` of ${alert.key}`} holds ${alert.value} items, threshold ${rule.threshold}`;
      break;
    case 'circuit-open':
      text = `circuit ${alert.key} ${alert.status === 'resolved' ? 'closed again' : `opened after ${alert.value} failures`}`;
      break;
    case 'hl7-ack':
      text = `${alert.key}: ${alert.value} negative HL7 acknowledgement(s)${alert.errorCode ? `, last ${alert.errorCode}` : ''}`;
      break;
    case 'webhook-signature-spike':
      text = `webhook ${alert.key}: ${alert.value} signature failures ${rule.detail ?? ''}, threshold ${rule.threshold}`;
      break;
  }
  return `${prefix}[${rule.severity}] ${rule.id}: ${text}`;
}

const pct = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;
