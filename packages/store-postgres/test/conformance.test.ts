import { runStateStoreConformance } from '@hmi/flow/testing';
import { createPostgresStateStore } from '@hmi/store-postgres';
import { afterAll, describe, it } from 'vitest';
import { DATABASE_URL, dropSchemas, postgresUnavailable, randomSchema } from './services.js';

const unavailable = await postgresUnavailable();
const schemas: string[] = [];
afterAll(() => (unavailable ? undefined : dropSchemas(schemas)));

runStateStoreConformance('postgres', {
  create: (now) => {
    const schema = randomSchema('conf');
    schemas.push(schema);
    return createPostgresStateStore({ connectionString: DATABASE_URL, schema, now, maxConnections: 4 });
  },
  reopen: (closed, now) => createPostgresStateStore({ connectionString: DATABASE_URL, schema: closed.schema, now }),
  test: (name, fn) => it.skipIf(unavailable !== undefined)(name, fn),
  describe,
});
