import { join } from 'node:path';
import { createSqliteStateStore } from '@hmi/store-sqlite';
import { describe, expect, it } from 'vitest';
import { hmi, tempDir } from './harness.js';

const PHI = { name: 'فاطمة الزهراء', phone: '+966555000111' };

/** A SQLite store with `n` dead items (payloads carry PHI) and one pending item. */
async function seeded(n = 3) {
  const dir = tempDir();
  const path = join(dir, 'state.sqlite');
  const store = createSqliteStateStore({ path });
  await store.enqueue(
    Array.from({ length: n }, (_, i) => ({
      id: `dead-${i + 1}`,
      topic: i === 0 ? 'webhook:stripe' : 'deliver:crm',
      payload: { patient: PHI, n: i },
      integrationPoint: i === 0 ? 'webhook:stripe' : 'crm-out',
      connector: i === 0 ? 'stripe' : 'crm',
    })),
  );
  for (const item of await store.claim({ limit: n, leaseMs: 60_000 })) {
    await store.moveToDlq(item.id, item.leaseToken, {
      name: 'ApiError',
      code: 'api_error',
      message: 'CRM answered 500',
      retryable: true,
    });
  }
  await store.enqueue([{ id: 'pending-1', topic: 'deliver:crm', payload: {} }]);
  await store.close();
  return { dir, path };
}

describe('hmi dlq', () => {
  it('lists dead items as a table and as JSON, without payloads', async () => {
    const { dir } = await seeded();
    const list = await hmi(['dlq', 'list', '--state', 'state.sqlite'], { cwd: dir });
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+TOPIC\s+POINT\s+ATTEMPTS\s+DEAD SINCE\s+ERROR\s+REPLAYS$/);
    expect(lines.slice(2).map((l) => l.split(/\s{2,}/)[0])).toEqual(['dead-1', 'dead-2', 'dead-3']);
    expect(lines[2]).toMatch(/dead-1\s+webhook:stripe\s+webhook:stripe\s+1\s+\S+ \S+\s+api_error\s+0/);
    expect(list.stdout).not.toContain(PHI.name);
    const filtered = await hmi(['dlq', 'list', '--state', 'state.sqlite', '--point', 'crm-out', '--json'], { cwd: dir });
    const items = JSON.parse(filtered.stdout) as Array<{ id: string; payload?: unknown }>;
    expect(items.map((i) => i.id)).toEqual(['dead-2', 'dead-3']);
    expect(items[0]).not.toHaveProperty('payload');
  });

  it('inspects one item, showing the payload only with --payload', async () => {
    const { dir } = await seeded();
    const plain = await hmi(['dlq', 'inspect', 'dead-2', '--state', 'state.sqlite'], { cwd: dir });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('error:             api_error: CRM answered 500');
    expect(plain.stdout).toContain('(hidden: it may hold patient data; add --payload to show it)');
    expect(plain.stdout).not.toContain(PHI.phone);
    const full = await hmi(['dlq', 'inspect', 'dead-2', '--state', 'state.sqlite', '--payload'], { cwd: dir });
    expect(full.stdout).toContain(PHI.phone);
    const missing = await hmi(['dlq', 'inspect', 'pending-1', '--state', 'state.sqlite'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('not in the dead-letter queue: pending-1\n');
  });

  it('replays by id idempotently, and all of a topic; unknown ids exit 1', async () => {
    const { dir, path } = await seeded();
    const once = await hmi(['dlq', 'replay', 'dead-1', '--state', 'state.sqlite'], { cwd: dir });
    expect(once).toMatchObject({ code: 0, stdout: 'replayed 1 item(s) into the outbox\n' });
    const twice = await hmi(['dlq', 'replay', 'dead-1', '--state', 'state.sqlite'], { cwd: dir });
    expect(twice.stdout).toBe(
      'dead-1: not dead (already replayed or delivered), left as it is\nreplayed 0 item(s) into the outbox\n',
    );
    expect(twice.code).toBe(0);
    const unknown = await hmi(['dlq', 'replay', 'nope', '--state', 'state.sqlite'], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('nope: no such item\n');
    const all = await hmi(['dlq', 'replay', '--all', '--topic', 'deliver:crm', '--state', 'state.sqlite'], { cwd: dir });
    expect(all.stdout).toBe('replayed 2 item(s) into the outbox\n');
    const store = createSqliteStateStore({ path });
    expect(await store.outboxStats()).toMatchObject({ pending: 4, dead: 0 });
    expect((await store.getItem('dead-1'))?.replays).toBe(1);
    await store.close();
    const empty = await hmi(['dlq', 'list', '--state', 'state.sqlite'], { cwd: dir });
    expect(empty.stdout).toBe('the dead-letter queue is empty\n');
  });

  it('purges by id, by topic, or all, and needs ids or --all', async () => {
    const { dir, path } = await seeded(4);
    expect((await hmi(['dlq', 'purge', '--state', 'state.sqlite'], { cwd: dir })).code).toBe(2);
    expect((await hmi(['dlq', 'purge', 'dead-1', '--state', 'state.sqlite'], { cwd: dir })).stdout).toBe(
      'purged 1 item(s) from the dead-letter queue\n',
    );
    expect(
      (await hmi(['dlq', 'purge', '--all', '--topic', 'deliver:crm', '--before', '1d', '--state', 'state.sqlite'], { cwd: dir }))
        .stdout,
    ).toBe('purged 0 item(s) from the dead-letter queue\n');
    expect((await hmi(['dlq', 'purge', '--all', '--topic', 'deliver:crm', '--state', 'state.sqlite'], { cwd: dir })).stdout).toBe(
      'purged 3 item(s) from the dead-letter queue\n',
    );
    const store = createSqliteStateStore({ path });
    expect(await store.outboxStats()).toMatchObject({ pending: 1, dead: 0 });
    await store.close();
  });

  it('usage errors exit 2: no state, a missing state file, an unknown action or flag', async () => {
    const dir = tempDir();
    expect((await hmi(['dlq', 'list'], { cwd: dir })).stderr).toContain('give the state store');
    const missing = await hmi(['dlq', 'list', '--state', 'nope.sqlite'], { cwd: dir });
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toContain('state file not found: nope.sqlite');
    expect((await hmi(['dlq', 'explode', '--state', 'x'], { cwd: dir })).code).toBe(2);
    expect((await hmi(['dlq', 'list', '--frobnicate'], { cwd: dir })).code).toBe(2);
    expect((await hmi(['nope'], { cwd: dir })).code).toBe(2);
    expect((await hmi(['audit', '--state', 'x', '--outcome', 'bad'], { cwd: dir })).code).toBe(2);
    expect((await hmi(['--help'], { cwd: dir })).code).toBe(0);
  });
});
