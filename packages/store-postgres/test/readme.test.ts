import { createOutboxWorker } from '@hmi/flow';
import { createPostgresStateStore } from '@hmi/store-postgres';
import { afterAll, expect, it } from 'vitest';
import { DATABASE_URL, dropSchemas, postgresUnavailable, randomSchema } from './services.js';

const unavailable = await postgresUnavailable();
const schema = randomSchema('readme');
afterAll(() => (unavailable ? undefined : dropSchemas([schema])));

// The README's example, with a schema of its own.
it.skipIf(unavailable !== undefined)('README example runs', async () => {
  const state = createPostgresStateStore({ connectionString: DATABASE_URL, schema });
  await state.ready();
  await state.enqueue([{ id: 'reminder-1', topic: 'deliver:sms', payload: { to: '+966555123456' }, orderingKey: 'patient-1' }]);
  const sent: string[] = [];
  const worker = createOutboxWorker({
    store: state,
    deliver: async (item, { idempotencyKey }) => void sent.push(`${item.id}/${idempotencyKey}`),
  });
  await worker.drain();
  expect(sent).toEqual(['reminder-1/reminder-1']);
  expect(await state.outboxStats()).toEqual({ pending: 0, leased: 0, done: 1, dead: 0 });
  await state.close();
});
