// `--serve` without a browser: the scenes pass as in the plain demo, then the gateway over their
// state answers the console's questions — which points are failing, which letters are dead, what
// each demo key may do — and a replay really sends the SMS to the Twilio sandbox, once.
// (packages/console/test/hospital-demo.e2e.test.ts drives the same thing in Chromium.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoSummary, runDemo, SCENES } from '../src/demo.js';
import { listenOnLoopback } from '../src/loopback.js';
import { createReporter } from '../src/output.js';
import { PATIENT_SYNC_ID } from '../src/scenes/register-patient.js';
import {
  DEFAULT_DEMO_PORT,
  DEMO_CONSOLE_KEYS,
  demoPort,
  describeServedConsole,
  type ServedConsole,
  serveConsole,
} from '../src/serve.js';
import { LAB_RESULTS_SMS } from '../src/serve-failures.js';

interface Point {
  id: string;
  status: string;
  lastErrorCode: string | null;
  deadLetters: number;
  canRun: boolean;
}

describe('npm run demo -- --serve', () => {
  let summary: DemoSummary;
  let served: ServedConsole;
  const { operator, viewer } = DEMO_CONSOLE_KEYS;
  const api = (path: string, key: string, init: RequestInit = {}) =>
    fetch(`${served.url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, ...init.headers } });
  const json = async <T>(path: string, key: string) => {
    const response = await api(path, key);
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };
  const deadLetterIds = async () =>
    (await json<{ items: Array<{ id: string }> }>('/v1/dead-letters', viewer.key)).items.map((d) => d.id);

  beforeAll(async () => {
    summary = await runDemo({ quiet: true, keepAlive: true });
    expect(summary.hospital).toBeDefined();
    served = await serveConsole(summary.hospital!, {
      port: 0,
      report: createReporter({ quiet: true }),
      // The browser test builds the page; these checks talk to the API only.
      buildPage: false,
    });
  }, 120_000);

  afterAll(async () => {
    await served?.close();
    await summary?.hospital?.close();
  });

  it('runs every scene as the plain demo does, its own outage replayed', () => {
    expect(summary.scenes.map((s) => s.id)).toEqual(SCENES.map((s) => s.id));
    expect(summary.scenes.filter((s) => !s.ok).map((s) => `${s.id}: ${s.error}`)).toEqual([]);
    expect(summary.scenes.find((s) => s.id === 'outage')?.facts.dlqDepthAfter).toBe(0);
  });

  it('lets the operator key replay and purge, and the viewer key only read', async () => {
    const me = async (key: string) => json<{ operations: string[]; scopes: string[] }>('/v1/me', key);
    const op = await me(operator.key);
    expect(op.operations).toEqual(expect.arrayContaining(['replayDeadLetter', 'purgeDeadLetter', 'runIntegration']));
    expect(op.scopes.sort()).toEqual([...operator.scopes].sort());
    const view = await me(viewer.key);
    expect(view.operations).toEqual(expect.arrayContaining(['listIntegrations', 'listDeadLetters', 'listAudit']));
    expect(view.operations).not.toContain('replayDeadLetter');
    expect(view.operations).not.toContain('purgeDeadLetter');
    expect((await api('/v1/me', 'hmi_demo_admin')).status).toBe(401);
  });

  it('lists the points the scenes used, the EHR sync failing and the SMS outbox holding the dead letters', async () => {
    const { items } = await json<{ items: Point[] }>('/v1/integrations', viewer.key);
    expect(items.map((p) => p.id)).toEqual(served.points);
    expect(items.map((p) => p.id)).toEqual(
      expect.arrayContaining([PATIENT_SYNC_ID, LAB_RESULTS_SMS, 'webhook:stripe', 'webhook:moyasar', 'gateway:riyadh']),
    );
    const ehr = items.find((p) => p.id === PATIENT_SYNC_ID)!;
    expect(ehr.status).toBe('failing');
    expect(ehr.lastErrorCode).toBeTruthy();
    const sms = items.find((p) => p.id === LAB_RESULTS_SMS)!;
    expect(sms.status).toBe('failing');
    expect(sms.deadLetters).toBe(3);
    expect(items.find((p) => p.id === PATIENT_SYNC_ID)?.canRun).toBe(false);
    const asOperator = await json<{ items: Point[] }>('/v1/integrations', operator.key);
    expect(asOperator.items.find((p) => p.id === PATIENT_SYNC_ID)?.canRun).toBe(true);
  });

  it('keeps three dead letters; a replay with the viewer key is 403 and changes nothing', async () => {
    expect(await deadLetterIds()).toEqual([...served.deadLetters]);
    expect(served.deadLetters).toHaveLength(3);
    const id = served.deadLetters[0]!;
    const refused = await api(`/v1/dead-letters/${encodeURIComponent(id)}/replay`, viewer.key, { method: 'POST' });
    expect(refused.status).toBe(403);
    const purge = await api(`/v1/dead-letters/${encodeURIComponent(id)}`, viewer.key, { method: 'DELETE' });
    expect(purge.status).toBe(403);
    expect(await deadLetterIds()).toEqual([...served.deadLetters]);
  });

  it('replays one with the operator key: it leaves the list and the Twilio sandbox gets the SMS once', async () => {
    const h = summary.hospital!;
    const id = served.deadLetters[1]!;
    const item = await h.store.getItem(id);
    expect(item?.status).toBe('dead');
    const { body } = item!.payload as { body: string };
    const copies = () => [...h.fakes.twilio.messages.values()].filter((m) => m.body === body).length;
    expect(copies()).toBe(0);
    const replay = await api(`/v1/dead-letters/${encodeURIComponent(id)}/replay`, operator.key, { method: 'POST' });
    expect(replay.status).toBe(200);
    expect(await deadLetterIds()).not.toContain(id);
    await expect.poll(async () => (await h.store.getItem(id))?.status, { timeout: 15_000 }).toBe('done');
    expect(copies()).toBe(1);
    // Replaying again: it is no longer dead.
    expect((await api(`/v1/dead-letters/${encodeURIComponent(id)}/replay`, operator.key, { method: 'POST' })).status).toBe(404);
    const audit = await json<{ items: Array<{ outcome: string; trigger: string; recordIds: string[] }> }>(
      `/v1/audit?integrationPoint=${LAB_RESULTS_SMS}&order=desc&limit=5`,
      viewer.key,
    );
    expect(audit.items.find((a) => a.recordIds.includes(id))).toMatchObject({ outcome: 'success', trigger: 'replay' });
  });

  it('runs the EHR sync from the API, and it fails again while the EHR is down', async () => {
    const before = (
      await json<{ items: Array<{ seq: number }> }>(
        `/v1/audit?integrationPoint=${PATIENT_SYNC_ID}&order=desc&limit=1`,
        viewer.key,
      )
    ).items[0]!.seq;
    expect((await api(`/v1/integrations/${PATIENT_SYNC_ID}/runs`, viewer.key, { method: 'POST' })).status).toBe(403);
    expect((await api(`/v1/integrations/${PATIENT_SYNC_ID}/runs`, operator.key, { method: 'POST' })).status).toBe(202);
    await expect
      .poll(
        async () =>
          (
            await json<{ items: Array<{ seq: number; outcome: string }> }>(
              `/v1/audit?integrationPoint=${PATIENT_SYNC_ID}&order=desc&limit=1`,
              viewer.key,
            )
          ).items.find((a) => a.seq > before)?.outcome,
        { timeout: 15_000 },
      )
      .toBe('failure');
  });

  it('prints the console URL and both keys with their scopes', () => {
    const text = describeServedConsole(served).join('\n');
    expect(text).toContain(`hmi console: ${served.url}/console/`);
    expect(text).toMatch(/operator key\s+hmi_demo_operator\s.*dead-letters:replay/);
    expect(text).toMatch(/viewer key\s+hmi_demo_viewer\s+\(read only: (?!.*replay)/);
    expect(text).toContain('127.0.0.1');
  });

  it('reads HMI_DEMO_PORT, and says so when the port is taken', async () => {
    expect(demoPort({})).toBe(DEFAULT_DEMO_PORT);
    expect(DEFAULT_DEMO_PORT).toBe(8787);
    expect(demoPort({ HMI_DEMO_PORT: '0' })).toBe(0);
    expect(demoPort({ HMI_DEMO_PORT: '9100' })).toBe(9100);
    expect(() => demoPort({ HMI_DEMO_PORT: '80a' })).toThrow(/HMI_DEMO_PORT/);
    expect(() => demoPort({ HMI_DEMO_PORT: '70000' })).toThrow(/HMI_DEMO_PORT/);
    const port = Number(new URL(served.url).port);
    await expect(listenOnLoopback(async () => new Response(null), port)).rejects.toThrow(/already in use.*HMI_DEMO_PORT/);
  });
});
