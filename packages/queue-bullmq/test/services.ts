import { Redis } from 'ioredis';
import pg from 'pg';

/** The test servers: `HMI_TEST_DATABASE_URL` / `HMI_TEST_REDIS_URL`, else the local ones the machines run. */
export const DATABASE_URL = process.env.HMI_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.HMI_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Why the tests cannot run (PostgreSQL or Redis unreachable), or undefined. Unreachable servers
 * skip the tests with the reason printed, except with `HMI_REQUIRE_SERVICES=1` (set by `.ci/run`),
 * where they fail the run.
 */
export async function servicesUnavailable(): Promise<string | undefined> {
  const reasons: string[] = [];
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    reasons.push(`PostgreSQL unreachable at ${DATABASE_URL.replace(/\/\/[^@]*@/, '//…@')} (${(error as Error).message})`);
  } finally {
    await client.end().catch(() => {});
  }
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    reasons.push(`Redis unreachable at ${REDIS_URL} (${(error as Error).message})`);
  } finally {
    redis.disconnect();
  }
  if (reasons.length === 0) return undefined;
  const reason = reasons.join('; ');
  if (process.env.HMI_REQUIRE_SERVICES === '1') throw new Error(`${reason}; HMI_REQUIRE_SERVICES=1 makes this a failure`);
  console.warn(`skipping: ${reason}`);
  return reason;
}

/** A name unique to this run: a Postgres schema and a BullMQ prefix, so runs never share state. */
export const uniqueName = (tag: string) => `hmi_test_${tag}_${Math.random().toString(36).slice(2, 10)}`;

/** Drops a run's schema and deletes its Redis keys (never FLUSHALL: the server is shared). */
export async function cleanUp(schema: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
  await deleteRedisKeys(prefix);
}

/** Deletes every key under a prefix (the "Redis flush" of the tests, limited to their own keys). */
export async function deleteRedisKeys(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  let deleted = 0;
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 })) {
      if ((keys as string[]).length) deleted += await redis.unlink(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}
