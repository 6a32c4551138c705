// A demo-like gateway for the console's tests: a memory flow store, an EHR sync that can be made to
// fail, an ERP outbox whose refusals fill the dead-letter queue, API keys for an operator and a
// read-only viewer, and a host session cookie accepted through auth.authenticate.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTelemetry, ValidationError } from '@hmi/core';
import { createMemoryStateStore, createOutboxWorker, runSync } from '@hmi/flow';
import { createGateway, type Gateway, toNodeListener } from '@hmi/gateway';

export const OPERATOR_SCOPES = [
  'integrations:read',
  'integrations:run',
  'dead-letters:read',
  'dead-letters:replay',
  'dead-letters:purge',
  'audit:read',
  'events:read',
];
export const VIEWER_SCOPES = ['integrations:read', 'dead-letters:read', 'audit:read', 'events:read'];

export interface Demo {
  base: string;
  gateway: Gateway;
  operatorKey: string;
  viewerKey: string;
  /** The host's session cookie value that auth.authenticate accepts. */
  session: string;
  /** Makes the EHR feed fail (true) or succeed on its next run. */
  setEhrDown(down: boolean): void;
  /** Makes the ERP accept deliveries again (replays then succeed). */
  setErpDown(down: boolean): void;
  api(path: string, key: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startDemo(): Promise<Demo> {
  const store = createMemoryStateStore();
  const telemetry = createTelemetry();
  let ehrDown = false;
  let erpDown = true;
  const worker = createOutboxWorker({
    store,
    telemetry,
    deliver: async () => {
      if (erpDown) throw new ValidationError('the ERP refused the invoice');
    },
  });
  const session = 'host-session-7f3a';
  const gateway = createGateway({
    store,
    console: true,
    auth: {
      authenticate: (request) =>
        request.headers.get('cookie')?.split(/;\s*/).includes(`hmi_session=${session}`)
          ? { id: 'host:ops-1', name: 'ops on call', kind: 'host', scopes: new Set(VIEWER_SCOPES), facility: undefined }
          : undefined,
    },
    flow: {
      telemetry,
      onReplay: () => worker.notify(),
      integrations: {
        'ehr-patients': {
          description: 'EHR patients → CRM contacts',
          connector: 'fhir',
          run: ({ signal }) =>
            runSync({
              id: 'ehr-patients',
              state: store,
              telemetry,
              signal,
              retry: { retries: 0 },
              source: async function* () {
                if (ehrDown) throw new ValidationError('the EHR answered an unexpected bundle');
                yield { records: [{ id: 'p1' }, { id: 'p2' }], checkpoint: `page-${Date.now()}` };
              },
              destination: async () => {},
            }),
        },
        'crm-to-erp-invoices': { description: 'CRM invoices → ERP', connector: 'odoo' },
        'whatsapp-reminders': { description: 'Appointment reminders', connector: 'whatsapp' },
      },
    },
  });
  await store.enqueue([
    {
      id: 'invoice-1001',
      topic: 'deliver:erp',
      payload: { invoice: 1001, patient: 'نورة الشمري' },
      integrationPoint: 'crm-to-erp-invoices',
    },
    { id: 'invoice-1002', topic: 'deliver:erp', payload: { invoice: 1002 }, integrationPoint: 'crm-to-erp-invoices' },
    { id: 'invoice-1003', topic: 'deliver:erp', payload: { invoice: 1003 }, integrationPoint: 'crm-to-erp-invoices' },
  ]);
  await worker.drain();
  const operatorKey = (await gateway.keys.create({ name: 'on-call operator', scopes: OPERATOR_SCOPES })).key;
  const viewerKey = (await gateway.keys.create({ name: 'viewer', scopes: VIEWER_SCOPES })).key;

  const server: Server = createServer(toNodeListener(gateway));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The ehr feed has run once, successfully, before anyone looks.
  const auth = { authorization: `Bearer ${operatorKey}` };
  await gateway(new Request(`${base}/v1/integrations/ehr-patients/runs`, { method: 'POST', headers: auth }));
  for (let i = 0; i < 100; i++) {
    const list = (await (await gateway(new Request(`${base}/v1/integrations`, { headers: auth }))).json()) as {
      items: Array<{ id: string; lastRunAt: string | null; running: boolean }>;
    };
    const ehr = list.items.find((p) => p.id === 'ehr-patients');
    if (ehr?.lastRunAt && !ehr.running) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  return {
    base,
    gateway,
    operatorKey,
    viewerKey,
    session,
    setEhrDown: (down) => {
      ehrDown = down;
    },
    setErpDown: (down) => {
      erpDown = down;
    },
    api: (path, key, init = {}) =>
      fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, ...init.headers } }),
    close: async () => {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await worker.stop();
    },
  };
}
