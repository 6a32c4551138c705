import { createPostgresStateStore, SCHEMA_VERSION } from '@hmi/store-postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_URL, dropSchemas, postgresUnavailable, randomSchema } from './services.js';

const unavailable = await postgresUnavailable();
const schemas: string[] = [];
const fresh = (tag: string) => {
  const s = randomSchema(tag);
  schemas.push(s);
  return s;
};
afterAll(() => (unavailable ? undefined : dropSchemas(schemas)));

describe.skipIf(unavailable !== undefined)('store-postgres beyond the conformance suite', () => {
  it('five processes starting at once migrate once (advisory lock)', async () => {
    const schema = fresh('mig');
    const stores = Array.from({ length: 5 }, () => createPostgresStateStore({ connectionString: DATABASE_URL, schema }));
    await Promise.all(stores.map((s) => s.ready()));
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    const { rows } = await client.query(`SELECT version FROM "${schema}".migrations`);
    await client.end();
    expect(rows.map((r) => r.version)).toEqual([SCHEMA_VERSION]);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('competing workers on separate pools never claim an item twice and keep each key in order', async () => {
    const schema = fresh('race');
    const workers = Array.from({ length: 4 }, () =>
      createPostgresStateStore({ connectionString: DATABASE_URL, schema, maxConnections: 3 }),
    );
    await workers[0]!.ready();
    const keys = ['p1', 'p2', 'p3', 'p4', 'p5'];
    await workers[0]!.enqueue(
      Array.from({ length: 300 }, (_, i) => ({
        id: `i${i}`,
        topic: 'deliver:x',
        payload: { i },
        orderingKey: i % 3 === 0 ? undefined : keys[i % keys.length],
      })),
    );
    const delivered: string[] = [];
    const seenTwice: string[] = [];
    const perKey = new Map<string, number[]>();
    await Promise.all(
      workers.map(async (store) => {
        for (let idle = 0; idle < 20; ) {
          const items = await store.claim({ limit: 5, leaseMs: 60_000 });
          if (items.length === 0) {
            idle++;
            await new Promise((r) => setTimeout(r, 5));
            continue;
          }
          idle = 0;
          for (const item of items) {
            if (delivered.includes(item.id)) seenTwice.push(item.id);
            delivered.push(item.id);
            if (item.orderingKey) perKey.set(item.orderingKey, [...(perKey.get(item.orderingKey) ?? []), item.seq]);
            expect(await store.complete(item.id, item.leaseToken)).toBe(true);
          }
        }
      }),
    );
    expect(seenTwice).toEqual([]);
    expect(new Set(delivered).size).toBe(300);
    for (const seqs of perKey.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(await workers[0]!.outboxStats()).toEqual({ pending: 0, leased: 0, done: 300, dead: 0 });
    await Promise.all(workers.map((s) => s.close()));
  });

  it('errors are typed and never quote a value; a borrowed pool is left open', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    const store = createPostgresStateStore({ pool, schema: fresh('err') });
    await store.ready();
    const client = await pool.connect();
    // Make the next insert fail inside the server with a message that would quote the value.
    await client.query(`ALTER TABLE "${store.schema}".outbox ADD CONSTRAINT no_secret CHECK (id <> 'PHI-Zarqa-+966555123456')`);
    client.release();
    const error = await store.enqueue([{ id: 'PHI-Zarqa-+966555123456', topic: 't', payload: 1 }]).catch((e) => e);
    expect(error).toMatchObject({ name: 'HmiError', code: 'store_error', vendorCode: '23514', retryable: false });
    expect(JSON.stringify(error.toJSON())).not.toContain('Zarqa');
    expect(String(error.stack)).not.toContain('Zarqa');
    await store.close();
    await expect(store.getItem('x')).rejects.toMatchObject({ code: 'store_closed' });
    expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    await pool.end();
  });

  it('refuses a bad schema name and an unreachable server with a typed error', async () => {
    expect(() => createPostgresStateStore({ connectionString: DATABASE_URL, schema: 'x"; DROP TABLE y; --' })).toThrow(
      /letters, digits/,
    );
    const store = createPostgresStateStore({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
    await expect(store.getItem('a')).rejects.toMatchObject({ name: 'ConfigError', code: 'store_error' });
    await store.close();
  });
});
