import type { PoolClient } from 'pg';

/**
 * The schema, as numbered steps. A step is never edited once released: a change is a new step.
 * `${s}` is the quoted schema name. Times are ms since the epoch (BIGINT), given by the store's
 * clock, so every store of hmi keeps the same values; payloads are JSON text (jsonb would reorder
 * keys and refuse `\u0000`).
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: (s: string) => string }[] = [
  {
    version: 1,
    name: 'initial',
    sql: (s) => `
CREATE TABLE ${s}.checkpoints (
  sync_id    TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE ${s}.seen (
  namespace  TEXT NOT NULL,
  key        TEXT NOT NULL,
  expires_at BIGINT,
  PRIMARY KEY (namespace, key)
);
CREATE TABLE ${s}.outbox (
  seq                BIGSERIAL PRIMARY KEY,
  id                 TEXT NOT NULL UNIQUE,
  topic              TEXT NOT NULL,
  payload            TEXT,
  ordering_key       TEXT,
  integration_point  TEXT,
  connector          TEXT,
  status             TEXT NOT NULL CHECK (status IN ('pending', 'done', 'dead')),
  attempts           INTEGER NOT NULL DEFAULT 0,
  available_at       BIGINT NOT NULL,
  lease_token        TEXT,
  lease_until        BIGINT,
  attempt_started_at BIGINT,
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL,
  last_error         TEXT,
  dead_at            BIGINT,
  replays            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_due ON ${s}.outbox (available_at, seq) WHERE status = 'pending';
CREATE INDEX outbox_key ON ${s}.outbox (ordering_key, seq) WHERE status = 'pending' AND ordering_key IS NOT NULL;
CREATE INDEX outbox_dead ON ${s}.outbox (seq) WHERE status = 'dead';
CREATE INDEX outbox_done ON ${s}.outbox (updated_at) WHERE status = 'done';
CREATE TABLE ${s}.audit (
  seq               BIGSERIAL PRIMARY KEY,
  at                BIGINT NOT NULL,
  integration_point TEXT NOT NULL,
  connector         TEXT,
  operation         TEXT NOT NULL,
  record_ids        TEXT[] NOT NULL,
  outcome           TEXT NOT NULL,
  trigger_kind      TEXT NOT NULL,
  error_code        TEXT,
  duration_ms       INTEGER,
  correlation_id    TEXT
);
CREATE INDEX audit_at ON ${s}.audit (at, seq);
CREATE INDEX audit_point ON ${s}.audit (integration_point, at);
CREATE INDEX audit_records ON ${s}.audit USING GIN (record_ids);
`,
  },
];

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Applies the missing steps, each in the one transaction that holds a transaction-scoped advisory
 * lock keyed by the schema name: of two processes starting at once, the second waits for the
 * first's commit, then finds nothing left to do. Returns the versions applied.
 */
export async function migrate(client: PoolClient, schema: string, quoted: string): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('hmi-migrate'), hashtext($1))`, [schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${quoted}.migrations`);
    const done = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...done);
    if (newest > SCHEMA_VERSION) {
      throw Object.assign(new Error('schema newer than code'), { code: 'hmi_schema_newer', newest });
    }
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query(m.sql(quoted));
      await client.query(`INSERT INTO ${quoted}.migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
