import { ConfigError, createTelemetry, type Telemetry } from '@hmi/core';
import { createMemoryStateStore, type StateStore } from '@hmi/flow';
import { createManualClock, type ManualClock } from '@hmi/flow/testing';
import { type Alert, type AlertRule, type AlertSink, createAlertManager } from '@hmi/monitor';
import { afterEach, describe, expect, it } from 'vitest';

/** A sink that records what it receives. */
function recordingSink(name = 'rec'): AlertSink & { alerts: Alert[] } {
  const alerts: Alert[] = [];
  return {
    name,
    alerts,
    async send(alert) {
      alerts.push(alert);
    },
  };
}

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

function setup(rules: AlertRule[], extra: { store?: StateStore; throttle?: string; repeatEvery?: string } = {}) {
  const telemetry = createTelemetry();
  const clock = createManualClock();
  const sink = recordingSink();
  const manager = createAlertManager({ rules, sinks: [sink], telemetry, clock, evaluateEvery: '1s', ...extra });
  manager.start();
  stops.push(() => manager.stop());
  return { telemetry, clock, sink, manager };
}

const syncEnd = (telemetry: Telemetry, point: string, ok: boolean, errorCode?: string) =>
  telemetry.emit('sync:end', {
    syncId: point,
    runId: 'r',
    integrationPoint: point,
    ok,
    pages: 0,
    records: 0,
    durationMs: 1,
    ...(errorCode && { errorCode }),
  });

const summary = (alerts: Alert[]) => alerts.map((a) => `${a.status} ${a.id} ${a.value}`);

describe('consecutive-failures', () => {
  it('fires at N failures in a row, once while firing, and resolves on the next success', async () => {
    const { telemetry, sink, manager } = setup([{ type: 'consecutive-failures', threshold: 3 }]);
    syncEnd(telemetry, 'ehr-patients', false, 'network_error');
    syncEnd(telemetry, 'ehr-patients', false, 'network_error');
    syncEnd(telemetry, 'crm-contacts', false);
    await manager.flush();
    expect(sink.alerts).toEqual([]);
    syncEnd(telemetry, 'ehr-patients', false, 'rate_limited');
    syncEnd(telemetry, 'ehr-patients', false);
    syncEnd(telemetry, 'ehr-patients', false);
    await manager.flush();
    expect(summary(sink.alerts)).toEqual(['firing consecutive-failures:ehr-patients 3']);
    expect(sink.alerts[0]).toMatchObject({ errorCode: 'rate_limited', severity: 'warning', threshold: 3, key: 'ehr-patients' });
    expect(sink.alerts[0]!.summary).toContain('3 consecutive failures');
    expect(manager.firing().map((a) => [a.id, a.value])).toEqual([['consecutive-failures:ehr-patients', 5]]);
    syncEnd(telemetry, 'ehr-patients', true);
    await manager.flush();
    expect(summary(sink.alerts)).toEqual([
      'firing consecutive-failures:ehr-patients 3',
      'resolved consecutive-failures:ehr-patients 0',
    ]);
    expect(manager.firing()).toEqual([]);
  });

  it('a success in between resets the count', async () => {
    const { telemetry, sink, manager } = setup([{ type: 'consecutive-failures', threshold: 2 }]);
    syncEnd(telemetry, 'p', false);
    syncEnd(telemetry, 'p', true);
    syncEnd(telemetry, 'p', false);
    await manager.flush();
    expect(sink.alerts).toEqual([]);
  });

  it('counts outbox and action outcomes, keyed by integration point or connector', async () => {
    const { telemetry, sink, manager } = setup([{ type: 'consecutive-failures', threshold: 2 }]);
    const ctx = { integrationPoint: 'webhook:stripe', topic: 'webhook:stripe', itemId: 'i' };
    telemetry.emit('outbox:retry', { ...ctx, attempt: 1, delayMs: 5, nextAttemptAt: 0, errorCode: 'api_error' });
    telemetry.emit('dlq:added', { ...ctx, attempts: 2, errorCode: 'api_error' });
    telemetry.emit('action:end', {
      connector: 'twilio',
      operation: 'sendSms',
      ok: false,
      durationMs: 3,
      errorCode: 'auth_error',
    });
    telemetry.emit('action:end', {
      connector: 'twilio',
      operation: 'sendSms',
      ok: false,
      durationMs: 3,
      errorCode: 'auth_error',
    });
    await manager.flush();
    expect(summary(sink.alerts).sort()).toEqual([
      'firing consecutive-failures:twilio 2',
      'firing consecutive-failures:webhook:stripe 2',
    ]);
  });

  it('throttles a flapping alert: one firing notification per interval, the held one goes out later if still firing', async () => {
    const { telemetry, clock, sink, manager } = setup([{ type: 'consecutive-failures', threshold: 1 }], { throttle: '10m' });
    syncEnd(telemetry, 'p', false);
    syncEnd(telemetry, 'p', true);
    await clock.advance(60_000);
    syncEnd(telemetry, 'p', false); // re-fires within 10 minutes: held back
    await manager.flush();
    expect(summary(sink.alerts)).toEqual(['firing consecutive-failures:p 1', 'resolved consecutive-failures:p 0']);
    await clock.advance(8 * 60_000);
    expect(sink.alerts).toHaveLength(2);
    await clock.advance(60_000 + 1000); // past the throttle, still failing: the held firing goes out
    await manager.flush();
    expect(summary(sink.alerts)).toEqual([
      'firing consecutive-failures:p 1',
      'resolved consecutive-failures:p 0',
      'firing consecutive-failures:p 1',
    ]);
  });

  it('a held firing that clears before the throttle ends sends nothing, not even a resolve', async () => {
    const { telemetry, clock, sink, manager } = setup([{ type: 'consecutive-failures', threshold: 1 }], { throttle: '10m' });
    const events: string[] = [];
    telemetry.on('alert:throttled', (e) => events.push(e.alertId));
    syncEnd(telemetry, 'p', false);
    syncEnd(telemetry, 'p', true);
    syncEnd(telemetry, 'p', false);
    syncEnd(telemetry, 'p', true);
    await clock.advance(20 * 60_000);
    await manager.flush();
    expect(summary(sink.alerts)).toEqual(['firing consecutive-failures:p 1', 'resolved consecutive-failures:p 0']);
    expect(events).toEqual(['consecutive-failures:p']);
  });

  it('reminds an alert that keeps firing with repeatEvery', async () => {
    const { telemetry, clock, sink, manager } = setup([{ type: 'consecutive-failures', threshold: 1 }], {
      throttle: '1m',
      repeatEvery: '30m',
    });
    syncEnd(telemetry, 'p', false);
    await clock.advance(29 * 60_000);
    await manager.flush();
    expect(sink.alerts).toHaveLength(1);
    await clock.advance(2 * 60_000);
    await manager.flush();
    expect(summary(sink.alerts)).toEqual(['firing consecutive-failures:p 1', 'firing consecutive-failures:p 1']);
  });
});

describe('error-rate', () => {
  it('needs minSamples, fires above the threshold, and resolves as the window slides past the failures', async () => {
    const { telemetry, clock, sink, manager } = setup([
      { type: 'error-rate', threshold: 0.2, window: '5m', minSamples: 10, sources: ['sync'] },
    ]);
    for (let i = 0; i < 4; i++) syncEnd(telemetry, 'p', false); // 4 of 4 failed, but too few samples
    await manager.flush();
    expect(sink.alerts).toEqual([]);
    for (let i = 0; i < 6; i++) syncEnd(telemetry, 'p', true); // 4/10 = 40% > 20%
    await manager.flush();
    expect(summary(sink.alerts)).toEqual(['firing error-rate:p 0.4']);
    expect(sink.alerts[0]!.summary).toContain('error rate 40.0% over 5m over 10 exchanges, threshold 20.0%');
    await clock.advance(2 * 60_000);
    for (let i = 0; i < 15; i++) syncEnd(telemetry, 'p', true); // resolves at 4/20 = 20%, not above the threshold
    await manager.flush();
    expect(summary(sink.alerts)).toEqual(['firing error-rate:p 0.4', 'resolved error-rate:p 0.2']);
  });

  it('at exactly the threshold does not fire', async () => {
    const { telemetry, sink, manager } = setup([{ type: 'error-rate', threshold: 0.5, window: '1m', minSamples: 2 }]);
    syncEnd(telemetry, 'p', false);
    syncEnd(telemetry, 'p', true);
    await manager.flush();
    expect(sink.alerts).toEqual([]);
  });

  it('resolves on a tick once the window has slid past all samples', async () => {
    const { telemetry, clock, sink, manager } = setup([{ type: 'error-rate', threshold: 0.1, window: '1m', minSamples: 3 }]);
    for (let i = 0; i < 3; i++) syncEnd(telemetry, 'p', false);
    await manager.flush();
    expect(summary(sink.alerts)).toEqual(['firing error-rate:p 1']);
    await clock.advance(30_000);
    expect(sink.alerts).toHaveLength(1);
    await clock.advance(35_000);
    await manager.flush();
    expect(summary(sink.alerts)).toEqual(['firing error-rate:p 1', 'resolved error-rate:p 0']);
  });
});

async function seedDead(store: StateStore, n: number, integrationPoint = 'crm-out') {
  await store.enqueue(
    Array.from({ length: n }, (_, i) => ({
      id: `item-${integrationPoint}-${i}`,
      topic: 'deliver:crm',
      payload: { i },
      integrationPoint,
    })),
  );
  const claimed = await store.claim({ limit: n, leaseMs: 60_000 });
  for (const item of claimed) {
    await store.moveToDlq(item.id, item.leaseToken, { name: 'ApiError', code: 'api_error', message: 'failed', retryable: false });
  }
}

describe('dlq-depth', () => {
  it('polls the store, fires above N and resolves after a purge', async () => {
    const store = createMemoryStateStore();
    await seedDead(store, 3);
    const { telemetry, clock, sink, manager } = setup([{ type: 'dlq-depth', threshold: 2, pollEvery: '1m' }], { store });
    await manager.flush();
    await clock.advance(10);
    await manager.flush();
    expect(summary(sink.alerts)).toEqual(['firing dlq-depth:total 3']);
    expect(sink.alerts[0]!.severity).toBe('critical');
    await store.purgeDlq({});
    await clock.advance(30_000); // before the next poll: not seen yet
    await manager.flush();
    expect(sink.alerts).toHaveLength(1);
    telemetry.emit('dlq:purged', { count: 3 }); // an event asks for an early poll
    await clock.advance(1000);
    await manager.flush();
    expect(summary(sink.alerts)).toEqual(['firing dlq-depth:total 3', 'resolved dlq-depth:total 0']);
  });

  it('counts per integration point when asked', async () => {
    const store = createMemoryStateStore();
    await seedDead(store, 2, 'a');
    await seedDead(store, 1, 'b');
    const { sink, manager } = setup([{ type: 'dlq-depth', threshold: 1, perIntegrationPoint: true }], { store });
    await manager.evaluate();
    expect(summary(sink.alerts)).toEqual(['firing dlq-depth:a 2']);
  });

  it('without a store is a ConfigError', () => {
    expect(() =>
      createAlertManager({ rules: [{ type: 'dlq-depth', threshold: 1 }], sinks: [], telemetry: createTelemetry() }),
    ).toThrow(ConfigError);
  });

  it('reports a failing store to onError and keeps going', async () => {
    const store = createMemoryStateStore();
    const errors: unknown[] = [];
    const failing = { ...store, outboxStats: async () => Promise.reject(new Error('disk gone')) } as StateStore;
    const clock = createManualClock();
    const manager = createAlertManager({
      rules: [{ type: 'dlq-depth', threshold: 0 }],
      sinks: [],
      telemetry: createTelemetry(),
      store: failing,
      clock,
      onError: (e) => errors.push(e),
    });
    manager.start();
    await clock.advance(0); // lets the loop reach its first sleep
    await clock.advance(60_000);
    await manager.stop();
    expect(errors.length).toBeGreaterThanOrEqual(2);
  });
});

describe('circuit-open, hl7-ack and webhook-signature-spike', () => {
  it('fires on circuit:open and resolves on circuit:close', async () => {
    const { telemetry, sink, manager } = setup([{ type: 'circuit-open' }]);
    telemetry.emit('circuit:open', { name: 'fhir', connector: 'fhir', failures: 5 });
    telemetry.emit('circuit:half-open', { name: 'fhir', connector: 'fhir' });
    telemetry.emit('circuit:open', { name: 'fhir', connector: 'fhir', failures: 6 });
    telemetry.emit('circuit:close', { name: 'fhir', connector: 'fhir' });
    await manager.flush();
    expect(summary(sink.alerts)).toEqual(['firing circuit-open:fhir 5', 'resolved circuit-open:fhir 0']);
    expect(sink.alerts[0]!.summary).toBe('[critical] circuit-open: circuit fhir opened after 5 failures');
  });

  it('fires on AE/AR acknowledgements from telemetry or reportAck and resolves on AA', async () => {
    const { telemetry, sink, manager } = setup([{ type: 'hl7-ack', only: ['adt-in', 'hl7v2'] }]);
    const hl7 = (ackCode: string) =>
      telemetry.emit('hl7:message', {
        connector: 'hl7v2',
        operation: 'mllp:send',
        direction: 'out',
        messageType: 'ADT',
        ackCode,
        bytes: 100,
        durationMs: 2,
      });
    hl7('AA');
    hl7('AE');
    hl7('AR');
    manager.reportAck('adt-in', 'ar');
    manager.reportAck('other-point', 'AR'); // not in `only`
    await manager.flush();
    expect(summary(sink.alerts)).toEqual(['firing hl7-ack:hl7v2 1', 'firing hl7-ack:adt-in 1']);
    hl7('AA');
    manager.reportAck('adt-in', 'AA');
    await manager.flush();
    expect(summary(sink.alerts).slice(2)).toEqual(['resolved hl7-ack:hl7v2 0', 'resolved hl7-ack:adt-in 0']);
    expect(sink.alerts[0]).toMatchObject({ errorCode: 'AE' });
    expect(() => manager.reportAck('', 'AE')).toThrow(ConfigError);
  });

  it('fires on a spike of signature refusals per route, and resolves as the window slides', async () => {
    const { telemetry, clock, sink, manager } = setup([{ type: 'webhook-signature-spike', threshold: 3, window: '1m' }]);
    const rejected = (connector: string, reason = 'signature') =>
      telemetry.emit('webhook:rejected', { connector, webhook: 'events', status: reason === 'signature' ? 401 : 400, reason });
    rejected('stripe');
    rejected('stripe');
    rejected('stripe', 'invalid');
    rejected('twilio');
    await manager.flush();
    expect(sink.alerts).toEqual([]);
    rejected('stripe');
    await manager.flush();
    expect(summary(sink.alerts)).toEqual(['firing webhook-signature-spike:stripe 3']);
    await clock.advance(70_000);
    await manager.flush();
    expect(summary(sink.alerts)).toEqual([
      'firing webhook-signature-spike:stripe 3',
      'resolved webhook-signature-spike:stripe 0',
    ]);
  });
});

describe('the manager', () => {
  it('validates rules into ConfigErrors', () => {
    const make = (rules: unknown[]) => () =>
      createAlertManager({ rules: rules as AlertRule[], sinks: [], telemetry: createTelemetry() });
    expect(make([{ type: 'consecutive-failures', threshold: 0 }])).toThrow(ConfigError);
    expect(make([{ type: 'error-rate', threshold: 20, window: '5m' }])).toThrow(/threshold/);
    expect(make([{ type: 'error-rate', threshold: 0.2, window: 'soon' }])).toThrow(ConfigError);
    expect(make([{ type: 'nope' }])).toThrow(ConfigError);
    expect(make([{ type: 'circuit-open' }, { type: 'circuit-open' }])).toThrow(/used twice/);
    expect(make([{ type: 'circuit-open', extra: true }])).toThrow(/unrecognized/);
    expect(() => createAlertManager({ rules: [], sinks: [{ name: 'x' } as AlertSink], telemetry: createTelemetry() })).toThrow(
      ConfigError,
    );
  });

  it('a failing sink is reported and does not stop the others', async () => {
    const telemetry = createTelemetry();
    const good = recordingSink('good');
    const failures: string[] = [];
    const sinkEvents: unknown[] = [];
    telemetry.on('alert:sink-failed', (e) => sinkEvents.push(e));
    const manager = createAlertManager({
      rules: [{ type: 'circuit-open' }],
      sinks: [
        {
          name: 'bad',
          send: async () => {
            throw new Error('smtp down');
          },
        },
        good,
      ],
      telemetry,
      clock: createManualClock(),
      onSinkError: (_e, sink, alert) => failures.push(`${sink} ${alert.id}`),
    });
    manager.start();
    telemetry.emit('circuit:open', { name: 'stripe', failures: 5 });
    await manager.stop();
    expect(good.alerts).toHaveLength(1);
    expect(failures).toEqual(['bad circuit-open:stripe']);
    expect(sinkEvents).toEqual([{ alertId: 'circuit-open:stripe', sink: 'bad', errorCode: 'sink_failed' }]);
  });

  it('stop unsubscribes: later events notify nobody', async () => {
    const { telemetry, sink, manager } = setup([{ type: 'circuit-open' }]);
    await manager.stop();
    telemetry.emit('circuit:open', { name: 'x', failures: 1 });
    await manager.flush();
    expect(sink.alerts).toEqual([]);
  });

  it('keeps separate state per rule id, so two rules of one type alert independently', async () => {
    const { telemetry, sink, manager } = setup([
      { type: 'consecutive-failures', id: 'warn', threshold: 2 },
      { type: 'consecutive-failures', id: 'page', threshold: 4, severity: 'critical' },
    ]);
    for (let i = 0; i < 4; i++) syncEnd(telemetry, 'p', false);
    await manager.flush();
    expect(sink.alerts.map((a) => `${a.id} ${a.severity}`)).toEqual(['warn:p warning', 'page:p critical']);
  });
});

export type { ManualClock };
