import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStateStore, SCHEMA_VERSION } from '@hmi/store-sqlite';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { SCHEMA } from '../src/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'hmi-sqlite-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a version 1 file is migrated in place: its items keep their state and gain the attempt mark', async () => {
  const path = join(dir, 'v1.db');
  const old = new Database(path);
  // The version 1 schema: today's without the attempt_started_at column.
  old.exec(SCHEMA.replace(/,\s*attempt_started_at INTEGER/, ''));
  old.pragma('user_version = 1');
  old
    .prepare(
      `INSERT INTO hmi_outbox (id, topic, payload, status, attempts, available_at, created_at, updated_at)
       VALUES ('a', 't', '{"v":1}', 'pending', 2, 0, 0, 0)`,
    )
    .run();
  expect(old.prepare('SELECT * FROM hmi_outbox').get()).not.toHaveProperty('attempt_started_at');
  old.close();

  const store = createSqliteStateStore({ path, now: () => 10 });
  const [a] = await store.claim({ limit: 1, leaseMs: 1000 });
  expect(a).toMatchObject({ id: 'a', attempts: 2, payload: { v: 1 }, attemptStartedAt: undefined });
  expect(await store.beginAttempt('a', a!.leaseToken)).toBe(true);
  expect((await store.getItem('a'))?.attemptStartedAt).toBe(10);
  await store.close();
  const check = new Database(path);
  expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  check.close();
  // Opening again (already current) changes nothing.
  const again = createSqliteStateStore({ path, now: () => 20 });
  expect((await again.getItem('a'))?.attemptStartedAt).toBe(10);
  await again.close();
});
