// A gateway on 127.0.0.1:8787 with an in-memory store, one integration point and one dead letter,
// for trying the API with curl. Run from the repository root:
//   npx tsx --conditions=@hmi/source packages/gateway/examples/quickstart.ts
import { createServer } from 'node:http';
import { createTelemetry, ValidationError } from '@hmi/core';
import { createMemoryStateStore, createOutboxWorker, runSync } from '@hmi/flow';
import { createGateway, toNodeListener } from '../src/index.js';

const store = createMemoryStateStore();
const telemetry = createTelemetry();
const worker = createOutboxWorker({
  store,
  telemetry,
  // An ERP that refuses everything, so the dead-letter queue has something to show.
  deliver: async () => {
    throw new ValidationError('the ERP refused the invoice');
  },
});

const gateway = createGateway({
  store,
  auth: {},
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
            source: async function* () {
              yield { records: [{ id: 'p1' }, { id: 'p2' }], checkpoint: 'page-1' };
            },
            destination: async () => {},
          }),
      },
      'crm-to-erp-invoices': { description: 'CRM invoices → ERP', connector: 'odoo' },
    },
  },
});

await store.enqueue([
  { id: 'invoice-1001', topic: 'deliver:erp', payload: { invoice: 1001 }, integrationPoint: 'crm-to-erp-invoices' },
]);
await worker.drain();

const admin = await gateway.keys.create({
  name: 'quickstart-admin',
  scopes: [
    'contacts:read',
    'contacts:read:phi',
    'integrations:read',
    'integrations:run',
    'dead-letters:read',
    'dead-letters:replay',
    'audit:read',
    'events:read',
  ],
});
const website = await gateway.keys.create({ name: 'website-forms', scopes: ['leads:write'], facility: 'riyadh' });

const server = createServer(toNodeListener(gateway)).listen(8787, '127.0.0.1', () => {
  console.log('hmi gateway on http://127.0.0.1:8787 (reference: http://127.0.0.1:8787/reference)');
  console.log(`export ADMIN_KEY=${admin.key}`);
  console.log(`export WEBSITE_KEY=${website.key}`);
  if (process.argv.includes('--once')) server.close();
});
process.on('SIGINT', () => {
  server.close();
  void gateway.close();
});
