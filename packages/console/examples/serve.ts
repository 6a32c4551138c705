// The console on http://127.0.0.1:8788/console/ over a gateway with an in-memory store, an EHR feed
// that fails when asked to, and three dead letters from an ERP that refuses invoices. Run from the
// repository root after building the console's page once:
//   pnpm --filter @hmi/console build
//   npx tsx --conditions=@hmi/source packages/console/examples/serve.ts
import { createServer } from 'node:http';
import { createTelemetry, ValidationError } from '@hmi/core';
import { createMemoryStateStore, createOutboxWorker, runSync } from '@hmi/flow';
import { createGateway, toNodeListener } from '@hmi/gateway';

const store = createMemoryStateStore(); // createSqliteStateStore() from @hmi/store-sqlite in production
const telemetry = createTelemetry();
let erpDown = true;
const worker = createOutboxWorker({
  store,
  telemetry,
  deliver: async () => {
    if (erpDown) throw new ValidationError('the ERP refused the invoice');
  },
});

const gateway = createGateway({
  store,
  console: true, // serves @hmi/console at /console/
  auth: {},
  flow: {
    telemetry,
    onReplay: () => worker.notify(),
    integrations: {
      'ehr-patients': {
        description: 'EHR patients → CRM contacts',
        connector: 'fhir',
        // "Run now" fails every other time, so the point turns red and green in the console.
        run: ({ signal }) =>
          runSync({
            id: 'ehr-patients',
            state: store,
            telemetry,
            signal,
            retry: { retries: 0 },
            source: async function* () {
              if (Date.now() % 2 === 0) throw new ValidationError('the EHR answered an unexpected bundle');
              yield { records: [{ id: 'p1' }, { id: 'p2' }], checkpoint: String(Date.now()) };
            },
            destination: async () => {},
          }),
      },
      'crm-to-erp-invoices': { description: 'CRM invoices → ERP', connector: 'odoo' },
    },
  },
});

await store.enqueue(
  [1001, 1002, 1003].map((n) => ({
    id: `invoice-${n}`,
    topic: 'deliver:erp',
    payload: { invoice: n },
    integrationPoint: 'crm-to-erp-invoices',
  })),
);
await worker.drain();
erpDown = false; // replays from the console now succeed
worker.start();

const operator = await gateway.keys.create({
  name: 'on-call operator',
  scopes: [
    'integrations:read',
    'integrations:run',
    'dead-letters:read',
    'dead-letters:replay',
    'dead-letters:purge',
    'audit:read',
    'events:read',
  ],
});
const viewer = await gateway.keys.create({
  name: 'viewer',
  scopes: ['integrations:read', 'dead-letters:read', 'audit:read', 'events:read'],
});

const server = createServer(toNodeListener(gateway)).listen(8788, '127.0.0.1', () => {
  console.log('hmi console on http://127.0.0.1:8788/console/');
  console.log(`operator key (replay, purge, run): ${operator.key}`);
  console.log(`viewer key (read only):            ${viewer.key}`);
  if (process.argv.includes('--once')) {
    server.close();
    void gateway.close();
    void worker.stop();
  }
});
process.on('SIGINT', () => {
  server.close();
  void gateway.close();
  void worker.stop();
});
