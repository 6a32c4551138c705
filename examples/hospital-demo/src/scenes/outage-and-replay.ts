// Scene 4: Twilio goes down while a "results ready" SMS waits in the outbox. The outbox worker
// retries on its schedule, gives up into the dead-letter queue, the alert manager fires; Twilio
// recovers, the item is replayed from the DLQ and delivered exactly once.
//
// Why the demo's worker may retry an SMS at all: Twilio's Messages API takes no idempotency key,
// so after a failure that may have followed the send (a 5xx, a reset, a timeout) the core marks the
// error `outcomeUnknown` and `retryable: false` — nothing may blindly repeat it. This worker
// reconciles first: before any repeat it lists the messages already sent to the number and only
// sends when the text is not among them. Errors that can never heal (an invalid number, no consent)
// still go straight to the dead-letter queue.
import { isHmiError } from '@hmi/core';
import { twilioErrorFixture } from '@hmi/connector-twilio/msw';
import { createDeadLetterQueue, createOutboxWorker, type OutboxWorker } from '@hmi/flow';
import { type Alert, createAlertManager, logSink } from '@hmi/monitor';
import { PATIENT } from '../hl7-messages.js';
import type { Hospital } from '../hospital.js';
import { ltr } from '../output.js';
import { expectThat, type Scene, waitFor } from './scene.js';

/**
 * The outbox schedule for the demo: 300 ms, 600 ms, 1.2 s, then the dead-letter queue. Production
 * uses @hmi/flow's DEFAULT_RETRY_DELAYS (5 s, 30 s, 2 min … 12 h: 15 attempts over about three
 * days); the demo cannot wait that long.
 */
export const DEMO_RETRY_SCHEDULE = ['300ms', '600ms', '1200ms'] as const;

/** The SMS waiting in the outbox. */
export interface ResultsReadySms {
  to: string;
  body: string;
  contactId: string;
}

const BODY = 'نتائج تحاليلكم جاهزة. يمكنكم الاطلاع عليها في تطبيق المستشفى.';

/** Worth another attempt: a retryable error, or one whose outcome is unknown (we reconcile first). */
function worthRetrying(error: unknown): boolean {
  return !isHmiError(error) || error.retryable || error.outcomeUnknown;
}

/** Whether Twilio already has this text for this number (newest first, first page is enough here). */
async function alreadySent(h: Hospital, sms: ResultsReadySms, signal: AbortSignal): Promise<boolean> {
  for await (const page of h.twilio.streams.listMessages.read({ checkpoint: { filter: { to: sms.to, pageSize: 50 } }, signal })) {
    return page.records.some((m) => m.body === sms.body);
  }
  return false;
}

/** What the "results ready" SMS worker did: deliveries tried, and sends that reached Twilio's API. */
export interface SmsWorkerCounts {
  deliverCalls: number;
  sends: number;
}

/**
 * The outbox worker for `deliver:sms` items ("results ready" SMS) on the demo schedule: a repeat (a
 * retry, or a replay out of the DLQ) first asks Twilio whether the text already went. Scene 5 uses
 * it, and so does `--serve`, whose console replays go through it.
 */
export function createResultsSmsWorker(
  h: Hospital,
  options: { counts?: SmsWorkerCounts; pollInterval?: string } = {},
): OutboxWorker {
  const counts = options.counts ?? { deliverCalls: 0, sends: 0 };
  return createOutboxWorker({
    store: h.store,
    topics: ['deliver:sms'],
    telemetry: h.telemetry,
    schedule: { delays: DEMO_RETRY_SCHEDULE, jitter: 0.1 },
    pollInterval: options.pollInterval ?? '50ms',
    isPermanent: (error) => !worthRetrying(error),
    async deliver(item, { signal }) {
      counts.deliverCalls++;
      const payload = item.payload as ResultsReadySms;
      if ((item.attempts > 0 || item.replays > 0) && (await alreadySent(h, payload, signal))) return;
      counts.sends++;
      await h.twilio.actions.sendSms({ ...payload, purpose: 'transactional' }, { signal });
    },
  });
}

export const outageScene: Scene = {
  id: 'outage',
  title: 'An outage: retries, dead-letter queue, alert, recovery and an exactly-once replay',
  label: 'outage → DLQ → replay',
  async run(h, report) {
    const contact = h.crm.contacts.get(PATIENT.mrn);
    const sms: ResultsReadySms = {
      to: contact?.phones[0]?.value ?? PATIENT.e164Mobile,
      body: BODY,
      contactId: contact?.source?.id ?? PATIENT.mrn,
    };
    const itemId = 'sms:lab-results:ORD-5521';
    const counts: SmsWorkerCounts = { deliverCalls: 0, sends: 0 };

    const alerts: Alert[] = [];
    const alertManager = createAlertManager({
      telemetry: h.telemetry,
      store: h.store,
      rules: [
        { type: 'dlq-depth', threshold: 0, pollEvery: '200ms' },
        { type: 'consecutive-failures', threshold: 3, sources: ['outbox'] },
      ],
      sinks: [
        logSink((_line, alert) => {
          alerts.push(alert);
          // The summary holds names, codes and numbers only: safe for a log or a chat channel.
          if (alert.status === 'firing') report.bad(`ALERT (log sink) ${alert.summary}`);
          else report.ok(`ALERT (log sink) ${alert.summary}`);
        }),
      ],
      throttle: '1m',
      evaluateEvery: '100ms',
    });
    const worker = createResultsSmsWorker(h, { counts });
    const dlq = createDeadLetterQueue({ store: h.store, telemetry: h.telemetry, onReplay: worker.notify });
    const offRetry = h.telemetry.on('outbox:retry', (e) => {
      if (e.itemId === itemId) report.bad(`attempt ${e.attempt} failed (${e.errorCode}); next in ${e.delayMs} ms`);
    });
    const offDead = h.telemetry.on('dlq:added', (e) => {
      if (e.itemId === itemId)
        report.bad(`attempt ${e.attempts} failed (${e.errorCode}); schedule exhausted → dead-letter queue`);
    });

    alertManager.start();
    worker.start();
    try {
      report.step('Twilio sandbox goes down: every request gets a 503 or a connection reset');
      let faults = 0;
      h.sandboxes.twilio.setFault(() =>
        faults++ % 2 === 0
          ? { kind: 'status', status: 503, json: twilioErrorFixture(20503, 503, 'Service Unavailable') }
          : { kind: 'reset' },
      );
      const twilioBefore = h.sandboxes.twilio.requestCount;
      const messagesBefore = [...h.fakes.twilio.messages.values()].filter((m) => m.body === BODY).length;

      report.step(
        `outbox: "results ready" SMS for ${ltr(sms.to)} queued as ${itemId} (demo retry schedule ${DEMO_RETRY_SCHEDULE.join(', ')}; production: ~3 days)`,
      );
      await h.store.enqueue([
        {
          id: itemId,
          topic: 'deliver:sms',
          payload: sms,
          orderingKey: sms.contactId,
          integrationPoint: 'lab-results-sms',
          connector: 'twilio',
        },
      ]);
      worker.notify();

      await waitFor(
        async () => (await h.store.getItem(itemId))?.status === 'dead',
        'the item to reach the dead-letter queue',
        30_000,
      );
      const dead = await dlq.get(itemId);
      expectThat(dead, 'the item is not in the dead-letter queue');
      const attempts = dead.attempts;
      expectThat(
        attempts === DEMO_RETRY_SCHEDULE.length + 1,
        `expected ${DEMO_RETRY_SCHEDULE.length + 1} attempts, saw ${attempts}`,
      );
      const depth = (await h.store.outboxStats()).dead;
      await waitFor(() => alerts.some((a) => a.rule === 'dlq-depth' && a.status === 'firing'), 'the DLQ alert');
      report.ok(
        `DLQ depth ${depth}: ${itemId}, ${attempts} attempts, last error ${dead.lastError?.code} (no patient data in it)`,
      );
      const outageRequests = h.sandboxes.twilio.requestCount - twilioBefore;

      report.step('Twilio recovers; on-call replays the item from the dead-letter queue');
      h.sandboxes.twilio.setFault(undefined);
      const replayed = await dlq.replay(itemId);
      expectThat(replayed, 'the replay was refused');
      await waitFor(async () => (await h.store.getItem(itemId))?.status === 'done', 'the replayed item to be delivered');
      const again = await dlq.replay(itemId);
      expectThat(!again, 'a second replay of a delivered item was accepted');
      const delivered = [...h.fakes.twilio.messages.values()].filter((m) => m.body === BODY).length - messagesBefore;
      expectThat(delivered === 1, `the SMS reached Twilio ${delivered} times`);
      report.ok(`delivered once: Twilio holds ${delivered} copy of the SMS; a second replay is refused (already delivered)`);

      await alertManager.evaluate();
      await waitFor(
        () => alerts.some((a) => a.rule === 'dlq-depth' && a.status === 'resolved'),
        'the DLQ alert to resolve',
        5_000,
      );
      const remaining = (await h.store.outboxStats()).dead;
      report.ok(`DLQ depth ${remaining}; alerts resolved`);

      const fired = [...new Set(alerts.filter((a) => a.status === 'firing').map((a) => a.rule))];
      return {
        figures: [
          `outage: ${attempts} attempts (${outageRequests} requests: 503 / reset) → DLQ`,
          `alerts fired: ${fired.join(', ')}`,
          'replay after recovery: delivered exactly once',
          `DLQ depth ${depth} → ${remaining}`,
        ],
        facts: {
          attemptsBeforeDlq: attempts,
          dlqDepthAtAlert: depth,
          dlqAlertFired: fired.includes('dlq-depth'),
          consecutiveFailuresAlertFired: fired.includes('consecutive-failures'),
          alertsResolved: alerts.some((a) => a.status === 'resolved'),
          deliveredCopies: delivered,
          secondReplayAccepted: again,
          dlqDepthAfter: remaining,
          deliverCalls: counts.deliverCalls,
          sendAttempts: counts.sends,
        },
      };
    } finally {
      h.sandboxes.twilio.setFault(undefined);
      offRetry();
      offDead();
      await worker.stop({ abort: true });
      await alertManager.stop();
    }
  },
};
