// What `--serve` leaves for the on-call engineer to find in the console, on top of the scenes'
// state: the EHR goes down (its patient sync fails and stays red) and a second Twilio outage puts
// three "results ready" SMS in the dead-letter queue. Twilio then recovers, so a replay from the
// console really sends the SMS to the Twilio sandbox. Serve mode only: the scenes' own outage is
// replayed and the normal demo ends with an empty DLQ.
import { twilioErrorFixture } from '@hmi/connector-twilio/msw';
import type { OutboxWorker } from '@hmi/flow';
import { PATIENT } from './hl7-messages.js';
import { type Hospital, mrnOf } from './hospital.js';
import { ltr, type Reporter } from './output.js';
import { createResultsSmsWorker, type ResultsReadySms } from './scenes/outage-and-replay.js';
import { runPatientSync } from './scenes/register-patient.js';
import { expectThat, waitFor } from './scenes/scene.js';

/** The outbox's integration point for "results ready" SMS (scene 5's too). */
export const LAB_RESULTS_SMS = 'lab-results-sms';

/** A quick give-up for the EHR sync in serve mode: "Run now" answers in seconds, not minutes. */
export const SERVE_SYNC_RETRY = { retries: 1, minDelay: '200ms', maxDelay: '1s' } as const;

/** Lab orders whose "results ready" SMS the second outage dead-letters (one per recipient). */
const ORDERS = ['ORD-5531', 'ORD-5532', 'ORD-5533'] as const;
/** Recipients when the CRM holds fewer other contacts with a phone (Gulf and Egyptian mobiles). */
const FALLBACK_RECIPIENTS = ['+971501234567', '+201001234567', '+966501112233'] as const;

/** What was left failing. */
export interface ServeFailures {
  /** The SMS worker, still running: the gateway's replays wake it and it delivers to Twilio. */
  worker: OutboxWorker;
  /** The dead letters' ids. */
  deadLetters: string[];
  /** Ends the EHR outage and stops the worker. */
  close(): Promise<void>;
}

function recipients(h: Hospital): Array<{ to: string; contactId: string }> {
  const others = [...h.crm.contacts.values()]
    .filter((c) => mrnOf(c) !== PATIENT.mrn)
    .flatMap((c) => {
      const phone = c.phones.find((p) => p.use === 'mobile')?.value ?? c.phones[0]?.value;
      return phone ? [{ to: phone, contactId: c.source?.id ?? mrnOf(c) ?? phone }] : [];
    });
  const fallback = FALLBACK_RECIPIENTS.map((to) => ({ to, contactId: `walk-in:${to}` }));
  return [...others, ...fallback].slice(0, ORDERS.length);
}

/** Breaks the EHR and dead-letters three SMS; Twilio is healthy again when this returns. */
export async function leaveFailures(h: Hospital, report: Reporter): Promise<ServeFailures> {
  report.step('the EHR goes down for maintenance: every FHIR request gets 503 (left down while serving)');
  h.sandboxes.ehr.setFault(() => ({
    kind: 'status',
    status: 503,
    json: {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'transient', diagnostics: 'Scheduled maintenance' }],
    },
  }));
  const sync = await runPatientSync(h, { retry: SERVE_SYNC_RETRY }).then(
    () => undefined,
    (error: unknown) => error,
  );
  expectThat(sync !== undefined, 'the EHR patient sync succeeded against a failing EHR');
  report.bad(`EHR patient sync failed (${(sync as { code?: string }).code ?? 'error'}): its point is red`);

  const worker = createResultsSmsWorker(h, { pollInterval: '1s' });
  const items = recipients(h).map(({ to, contactId }, i): { id: string; payload: ResultsReadySms } => ({
    id: `sms:lab-results:${ORDERS[i]}`,
    payload: {
      to,
      contactId,
      body: `نتائج تحاليلكم للطلب ${ORDERS[i]} جاهزة. يمكنكم الاطلاع عليها في تطبيق المستشفى.`,
    },
  }));
  report.step(
    `Twilio goes down again; ${items.length} "results ready" SMS queued (${items.map((i) => ltr(i.payload.to)).join(', ')})`,
  );
  let faults = 0;
  h.sandboxes.twilio.setFault(() =>
    faults++ % 2 === 0
      ? { kind: 'status', status: 503, json: twilioErrorFixture(20503, 503, 'Service Unavailable') }
      : { kind: 'reset' },
  );
  try {
    await h.store.enqueue(
      items.map((item) => ({
        ...item,
        topic: 'deliver:sms',
        orderingKey: item.payload.contactId,
        integrationPoint: LAB_RESULTS_SMS,
        connector: 'twilio',
      })),
    );
    worker.start();
    worker.notify();
    await waitFor(
      async () => (await Promise.all(items.map((i) => h.store.getItem(i.id)))).every((item) => item?.status === 'dead'),
      'the SMS to reach the dead-letter queue',
      30_000,
    );
  } catch (error) {
    await worker.stop({ abort: true });
    throw error;
  } finally {
    h.sandboxes.twilio.setFault(undefined);
  }
  const attempts = (await h.store.getItem(items[0]!.id))?.attempts ?? 0;
  report.bad(`${items.length} SMS in the dead-letter queue after ${attempts} attempts each (left there for the console)`);
  report.ok('Twilio is back: a replay from the console sends the SMS (reconciled first, so never twice)');
  return {
    worker,
    deadLetters: items.map((i) => i.id),
    async close() {
      h.sandboxes.ehr.setFault(undefined);
      await worker.stop({ abort: true });
    },
  };
}
