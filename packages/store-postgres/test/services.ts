import pg from 'pg';

/** The test database: `HMI_TEST_DATABASE_URL`, else the local server the machines run. */
export const DATABASE_URL = process.env.HMI_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether PostgreSQL answers. Unreachable: the tests skip and say why, except with
 * `HMI_REQUIRE_SERVICES=1` (set by `.ci/run`), where a missing server fails the run.
 */
export async function postgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    const reason = `PostgreSQL unreachable at ${DATABASE_URL.replace(/\/\/[^@]*@/, '//…@')} (${(error as Error).message})`;
    if (process.env.HMI_REQUIRE_SERVICES === '1') throw new Error(`${reason}; HMI_REQUIRE_SERVICES=1 makes this a failure`);
    console.warn(`skipping: ${reason}`);
    return reason;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A fresh schema name per test run, so parallel runs never share tables. */
export const randomSchema = (tag: string) => `hmi_test_${tag}_${Math.random().toString(36).slice(2, 10)}`;

/** Drops the schemas a run created. */
export async function dropSchemas(names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    for (const name of names) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await client.end();
  }
}
