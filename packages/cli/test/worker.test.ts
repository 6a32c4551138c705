import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteStateStore } from '@hmi/store-sqlite';
import { createPostgresStateStore } from '@hmi/store-postgres';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../src/index.js';
import { ENV, goodConfig, hmi, patients, tempDir, write } from './harness.js';

const DATABASE_URL = process.env.HMI_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.HMI_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function servicesUnavailable(): Promise<string | undefined> {
  try {
    const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2000 });
    await client.connect();
    await client.end();
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    await redis.connect();
    redis.disconnect();
    return undefined;
  } catch (error) {
    const reason = `PostgreSQL or Redis unreachable (${(error as Error).message})`;
    if (process.env.HMI_REQUIRE_SERVICES === '1') throw new Error(`${reason}; HMI_REQUIRE_SERVICES=1 makes this a failure`);
    console.warn(`skipping: ${reason}`);
    return reason;
  }
}
const unavailable = await servicesUnavailable();

function setupDir(stateAndRunner: string) {
  const dir = tempDir();
  const config = goodConfig()
    .replace('state:\n  path: ./state.sqlite\n', stateAndRunner)
    .replace('./patients.json', join(dir, 'patients.json'))
    .replace('./crm.json', join(dir, 'crm.json'));
  write(dir, 'hmi.yaml', config);
  write(dir, 'patients.json', JSON.stringify(patients(2)));
  return dir;
}

const crmRows = (dir: string) => {
  try {
    return JSON.parse(readFileSync(join(dir, 'crm.json'), 'utf8')) as Record<string, Record<string, unknown>>;
  } catch {
    return {};
  }
};

async function untilRow(dir: string, id: string) {
  const end = Date.now() + 15_000;
  while (!crmRows(dir)[id]) {
    if (Date.now() > end) throw new Error(`no CRM row ${id}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const item = {
  id: 'contact-77',
  topic: 'deliver:crm.upsertContact',
  payload: { id: 'c77', firstName: 'ليلى', phone: '+966501234567' },
};

describe('hmi worker', () => {
  it('in-process on SQLite (the defaults): delivers deliver:<connector>.<action> items, stops on the signal', async () => {
    const dir = setupDir('state:\n  path: ./state.sqlite\n');
    const store = createSqliteStateStore({ path: join(dir, 'state.sqlite') });
    await store.enqueue([item]);
    await store.close();
    const stop = new AbortController();
    const running = hmi(['worker', 'hmi.yaml'], { cwd: dir, env: ENV, signal: stop.signal });
    await untilRow(dir, 'c77');
    stop.abort();
    const { code, stderr } = await running;
    expect(code).toBe(0);
    expect(stderr).toContain('runner in-process');
    expect(crmRows(dir).c77).toMatchObject({ firstName: 'ليلى' });
    const again = createSqliteStateStore({ path: join(dir, 'state.sqlite') });
    expect((await again.getItem('contact-77'))?.status).toBe('done');
    await again.close();
  });

  it.skipIf(unavailable !== undefined)(
    'on PostgreSQL + BullMQ from env: references',
    async () => {
      const schema = `hmi_test_cli_${Math.random().toString(36).slice(2, 10)}`;
      const prefix = `hmi_test_cli_${Math.random().toString(36).slice(2, 10)}`;
      const dir = setupDir(
        `state:\n  postgres: env:DATABASE_URL\n  schema: ${schema}\nrunner:\n  bullmq: { redis: env:REDIS_URL, prefix: ${prefix} }\n  concurrency: 2\n`,
      );
      const store = createPostgresStateStore({ connectionString: DATABASE_URL, schema });
      await store.enqueue([item]);
      const stop = new AbortController();
      const env = { ...ENV, DATABASE_URL, REDIS_URL };
      const running = hmi(['worker', 'hmi.yaml'], { cwd: dir, env, signal: stop.signal });
      try {
        await untilRow(dir, 'c77');
        stop.abort();
        const { code, stderr } = await running;
        expect(code).toBe(0);
        expect(stderr).toContain('runner bullmq, concurrency 2');
        expect((await store.getItem('contact-77'))?.status).toBe('done');
        const status = await hmi(['status', '--config', 'hmi.yaml'], { cwd: dir, env });
        expect(status.stdout).toContain('1 done');
      } finally {
        stop.abort();
        await running.catch(() => {});
        await store.close();
        const client = new pg.Client({ connectionString: DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
        const redis = new Redis(REDIS_URL);
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length) await redis.unlink(...keys);
        redis.disconnect();
      }
    },
    60_000,
  );

  it('validates state.postgres and runner: env references or password-free URLs', async () => {
    const ok = goodConfig().replace(
      'state:\n  path: ./state.sqlite\n',
      'state: { postgres: env:DATABASE_URL }\nrunner: { bullmq: { redis: env:REDIS_URL }, concurrency: 8 }\n',
    );
    expect((await validateConfigText(ok)).ok).toBe(true);
    const inline = ok.replace('env:DATABASE_URL', 'postgres://crm:hunter2@db.internal/crm');
    const result = await validateConfigText(inline);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).toContain('environment variable');
    expect(JSON.stringify(result)).not.toContain('hunter2');
    const bad = ok.replace('concurrency: 8', 'concurrency: 0');
    expect((await validateConfigText(bad)).ok).toBe(false);
  });
});
