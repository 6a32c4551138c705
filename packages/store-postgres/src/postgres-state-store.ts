import { ConfigError, HmiError, isHmiError, ValidationError } from '@hmi/core';
import type {
  AuditEntry,
  AuditQuery,
  AuditRecord,
  ClaimedItem,
  DlqPurge,
  DlqQuery,
  OutboxItem,
  OutboxStats,
  PendingQuery,
  StateStore,
} from '@hmi/flow';
import pg from 'pg';
import { migrate, SCHEMA_VERSION } from './migrations.js';

/** Options of {@link createPostgresStateStore}: a connection string or a pool, not both. */
export type PostgresStateStoreOptions = (
  | {
      /** `postgres://user@host:5432/db`; the store creates its own pool and ends it on `close()`. */
      connectionString: string;
      pool?: never;
      /** Most connections of the store's own pool. Default 10. */
      maxConnections?: number;
    }
  | {
      /** A `pg.Pool` the host owns (and ends); the store only borrows connections from it. */
      pool: pg.Pool;
      connectionString?: never;
      maxConnections?: never;
    }
) & {
  /**
   * The PostgreSQL schema holding hmi's tables (created when missing). Default `hmi`. One schema per
   * deployment or per facility; letters, digits and `_` only.
   */
  schema?: string;
  /** The clock (ms since the epoch); `Date.now` by default. Workers on several machines need NTP. */
  now?: () => number;
};

/** A {@link StateStore} on PostgreSQL, with its schema and readiness. */
export interface PostgresStateStore extends StateStore {
  /** The schema name. */
  readonly schema: string;
  /**
   * Resolves once the schema is migrated (every method waits for it anyway); rejects with a
   * `ConfigError` when the database cannot be reached or has a newer schema.
   */
  ready(): Promise<void>;
}

type Row = Record<string, unknown>;
type Db = Pick<pg.PoolClient, 'query'>;

// Codes worth a retry: serialization failures, deadlocks, a lost or refused connection, shutdown.
const TRANSIENT = new Set(['40001', '40P01', '57P01', '57P02', '57P03', '08000', '08003', '08006', 'ECONNREFUSED', 'ECONNRESET']);

function storeError(error: unknown): HmiError {
  if (isHmiError(error)) return error;
  const raw = (error as { code?: unknown })?.code;
  const code = typeof raw === 'string' && /^[A-Z0-9_]{1,32}$/.test(raw) ? raw : 'PG_ERROR';
  // The server's message is left out: it can quote a value (`Key (id)=(…) already exists`).
  return new HmiError(`state store operation failed (${code})`, {
    code: 'store_error',
    retryable: TRANSIENT.has(code),
    vendorCode: code,
  });
}

function json(value: unknown, what: string): string {
  try {
    return JSON.stringify(value === undefined ? null : value);
  } catch {
    throw new ValidationError(`${what} is not JSON-serialisable`);
  }
}

const parse = (text: unknown): unknown => (typeof text === 'string' ? JSON.parse(text) : undefined);
// BIGINT columns arrive as strings (pg keeps 64-bit precision); ms timestamps fit a double.
const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value));
const optNum = (value: unknown): number | undefined => (value === null || value === undefined ? undefined : num(value));
const optStr = (value: unknown): string | undefined => (value === null || value === undefined ? undefined : String(value));

function toItem(row: Row): OutboxItem {
  return {
    id: row.id as string,
    topic: row.topic as string,
    payload: parse(row.payload),
    orderingKey: optStr(row.ordering_key),
    integrationPoint: optStr(row.integration_point),
    connector: optStr(row.connector),
    status: row.status as OutboxItem['status'],
    attempts: num(row.attempts),
    seq: num(row.seq),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
    availableAt: num(row.available_at),
    lastError: parse(row.last_error) as OutboxItem['lastError'],
    deadAt: optNum(row.dead_at),
    replays: num(row.replays),
    attemptStartedAt: optNum(row.attempt_started_at),
  };
}

function toAudit(row: Row): AuditRecord {
  return {
    seq: num(row.seq),
    at: num(row.at),
    integrationPoint: row.integration_point as string,
    connector: optStr(row.connector),
    operation: row.operation as string,
    recordIds: row.record_ids as string[],
    outcome: row.outcome as AuditRecord['outcome'],
    trigger: row.trigger_kind as string,
    errorCode: optStr(row.error_code),
    durationMs: optNum(row.duration_ms),
    correlationId: optStr(row.correlation_id),
  };
}

/** `LIKE` pattern of a topic prefix, with its wildcards escaped. */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Builds a parameter list and hands out `$n` placeholders. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  /** `AND (…)` for a topic filter on alias `o`. */
  topics(topics: readonly string[] | undefined): string {
    if (!topics || topics.length === 0) return '';
    const exact = topics.filter((t) => !t.endsWith('*'));
    const prefixes = topics.filter((t) => t.endsWith('*')).map((t) => likePrefix(t.slice(0, -1)));
    return `AND (o.topic = ANY(${this.add(exact)}::text[]) OR o.topic LIKE ANY(${this.add(prefixes)}::text[]))`;
  }
}

/**
 * A {@link StateStore} on PostgreSQL (node-postgres), for hmi on several machines: every worker
 * process shares one database. Claims use `SELECT … FOR UPDATE SKIP LOCKED`, so workers never wait
 * for each other's rows and never take the same one; an expired lease is taken over; `complete`,
 * `fail` and `moveToDlq` with a stale lease token change nothing; per ordering key only the oldest
 * pending item is claimable, whichever worker asks. The schema is created and migrated on first use,
 * under an advisory lock, so processes starting together migrate once.
 *
 * ```ts
 * const state = createPostgresStateStore({ connectionString: process.env.DATABASE_URL! });
 * ```
 */
export function createPostgresStateStore(options: PostgresStateStoreOptions): PostgresStateStore {
  if (!options || (typeof options.connectionString !== 'string' && !options.pool)) {
    throw new ConfigError('createPostgresStateStore needs a connectionString or a pool');
  }
  if (options.connectionString !== undefined && options.pool !== undefined) {
    throw new ConfigError('createPostgresStateStore takes a connectionString or a pool, not both');
  }
  const schema = options.schema ?? 'hmi';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError('the Postgres schema name may hold letters, digits and _ only (at most 63)');
  }
  const q = `"${schema}"`;
  const clock = options.now ?? Date.now;
  const ownsPool = options.pool === undefined;
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
  // An idle client's network error is reported here; without a listener it would crash the host.
  const onPoolError = () => {};
  if (ownsPool) pool.on('error', onPoolError);
  let closed = false;

  const migrated = (async () => {
    const client = await pool.connect();
    try {
      await migrate(client, schema, q);
    } finally {
      client.release();
    }
  })().catch((error: unknown) => {
    if ((error as { code?: unknown })?.code === 'hmi_schema_newer') {
      throw new ConfigError(`the Postgres schema "${schema}" is newer than this @hmi/store-postgres (${SCHEMA_VERSION})`);
    }
    throw new ConfigError('could not open the Postgres state store', { code: 'store_error', cause: storeError(error) });
  });
  // Reported by the first call that waits for it; not an unhandled rejection before then.
  migrated.catch(() => {});

  const closedError = () => new ConfigError('the state store is closed', { code: 'store_closed' });

  /** Runs one statement (autocommit). */
  const run = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    if (closed) throw closedError();
    await migrated;
    try {
      return await fn(pool);
    } catch (error) {
      throw storeError(error);
    }
  };
  /** Runs several statements in one transaction on one connection. */
  const tx = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    if (closed) throw closedError();
    await migrated;
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw storeError(error);
    }
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw storeError(error);
    } finally {
      client.release();
    }
  };

  const AUDIT_COLUMNS = `at, integration_point, connector, operation, record_ids, outcome, trigger_kind, error_code, duration_ms, correlation_id`;
  /** `SELECT …` of audit rows from unnested arrays at `$first`…`$first+9`, and their parameters. */
  const auditRows = (entries: readonly AuditEntry[], now: number, first: number) => {
    const $ = (i: number) => `$${first + i}`;
    return {
      sql: `SELECT at, ip, c, op, ARRAY(SELECT jsonb_array_elements_text(r)), o, tr, ec, d, ci
       FROM unnest(${$(0)}::bigint[], ${$(1)}::text[], ${$(2)}::text[], ${$(3)}::text[], ${$(4)}::jsonb[], ${$(5)}::text[],
         ${$(6)}::text[], ${$(7)}::text[], ${$(8)}::int[], ${$(9)}::text[]) WITH ORDINALITY AS x(at, ip, c, op, r, o, tr, ec, d, ci, n)`,
      params: [
        entries.map((e) => e.at ?? now),
        entries.map((e) => e.integrationPoint),
        entries.map((e) => e.connector ?? null),
        entries.map((e) => e.operation),
        entries.map((e) => JSON.stringify((e.recordIds ?? []).map(String))),
        entries.map((e) => e.outcome),
        entries.map((e) => e.trigger),
        entries.map((e) => e.errorCode ?? null),
        entries.map((e) => (e.durationMs === undefined ? null : Math.round(e.durationMs))),
        entries.map((e) => e.correlationId ?? null),
      ],
    };
  };
  const insertAudits = async (db: Db, entries: readonly AuditEntry[], now: number) => {
    if (entries.length === 0) return;
    const rows = auditRows(entries, now, 1);
    await db.query(`INSERT INTO ${q}.audit (${AUDIT_COLUMNS}) ${rows.sql} ORDER BY n`, rows.params);
  };

  /**
   * A lease-checked update of one item and, when it took, its audit records: one statement (a
   * data-modifying CTE), so it is atomic without a transaction's extra round trips.
   */
  const leased = (set: string, id: string, token: string, extra: unknown[], entries: readonly AuditEntry[] | undefined) =>
    run(async (db) => {
      const now = clock();
      const params = [id, token, now, ...extra];
      const update = `UPDATE ${q}.outbox SET ${set}, lease_token = NULL, lease_until = NULL, attempt_started_at = NULL, updated_at = $3
         WHERE id = $1 AND status = 'pending' AND lease_token = $2 AND lease_until > $3 RETURNING 1`;
      if (!entries?.length) return (await db.query(update, params)).rowCount === 1;
      const rows = auditRows(entries, now, params.length + 1);
      const { rows: result } = await db.query(
        `WITH u AS (${update}),
           a AS (INSERT INTO ${q}.audit (${AUDIT_COLUMNS}) ${rows.sql} WHERE EXISTS (SELECT 1 FROM u) ORDER BY n)
         SELECT COUNT(*)::int AS n FROM u`,
        [...params, ...rows.params],
      );
      return result[0]?.n === 1;
    });

  const store: PostgresStateStore = {
    schema,
    ready: () => migrated,

    getCheckpoint: (syncId) =>
      run(async (db) => {
        const { rows } = await db.query(`SELECT value, updated_at FROM ${q}.checkpoints WHERE sync_id = $1`, [syncId]);
        const row = rows[0] as Row | undefined;
        return row && { syncId, checkpoint: parse(row.value), updatedAt: num(row.updated_at) };
      }),
    setCheckpoint: async (syncId, checkpoint, entries = []) => {
      const value = json(checkpoint, 'checkpoint');
      await tx(async (db) => {
        const now = clock();
        await db.query(
          `INSERT INTO ${q}.checkpoints (sync_id, value, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (sync_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
          [syncId, value, now],
        );
        await insertAudits(db, entries, now);
      });
    },
    deleteCheckpoint: (syncId) =>
      run(async (db) => void (await db.query(`DELETE FROM ${q}.checkpoints WHERE sync_id = $1`, [syncId]))),

    markSeen: (namespace, key, ttlMs) =>
      run(async (db) => {
        const now = clock();
        const result = await db.query(
          `INSERT INTO ${q}.seen AS s (namespace, key, expires_at) VALUES ($1, $2, $3)
           ON CONFLICT (namespace, key) DO UPDATE SET expires_at = excluded.expires_at
           WHERE s.expires_at IS NOT NULL AND s.expires_at <= $4`,
          [namespace, key, ttlMs === undefined ? null : now + ttlMs, now],
        );
        return result.rowCount === 1;
      }),
    pruneSeen: (now) =>
      run(async (db) => {
        const result = await db.query(`DELETE FROM ${q}.seen WHERE expires_at IS NOT NULL AND expires_at <= $1`, [
          now ?? clock(),
        ]);
        return result.rowCount ?? 0;
      }),

    enqueue: async (items, entries) => {
      // Serialise first: one bad payload fails the batch before anything is written.
      const payloads = items.map((item) => json(item.payload, 'outbox payload'));
      return tx(async (db) => {
        const now = clock();
        const { rows } = await db.query(
          `INSERT INTO ${q}.outbox (id, topic, payload, ordering_key, integration_point, connector, status, attempts,
             available_at, created_at, updated_at)
           SELECT id, topic, payload, ok, ip, c, 'pending', 0, av, $8, $8
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
             WITH ORDINALITY AS x(id, topic, payload, ok, ip, c, av, n)
           ORDER BY n
           ON CONFLICT (id) DO NOTHING
           RETURNING id`,
          [
            items.map((i) => i.id),
            items.map((i) => i.topic),
            payloads,
            items.map((i) => i.orderingKey ?? null),
            items.map((i) => i.integrationPoint ?? null),
            items.map((i) => i.connector ?? null),
            items.map((i) => i.availableAt ?? now),
            now,
          ],
        );
        const inserted = new Set(rows.map((r) => r.id as string));
        // A repeated id in one batch: its first occurrence was created, the later ones are duplicates.
        const results = items.map((item) => {
          const created = inserted.delete(item.id);
          return { id: item.id, created };
        });
        const audit = typeof entries === 'function' ? entries(results) : entries;
        if (audit?.length) await insertAudits(db, audit, now);
        return results;
      });
    },
    // One statement: atomic on its own, and one round trip per claim.
    claim: ({ limit, leaseMs, now, topics, ids }) =>
      run(async (db) => {
        const at = now ?? clock();
        const p = new Params();
        const $at = p.add(at);
        let filter = p.topics(topics);
        if (ids) filter += ` AND o.id = ANY(${p.add([...ids])}::text[])`;
        const $limit = p.add(Math.max(0, Math.floor(limit)));
        const $until = p.add(at + leaseMs);
        // Rows another worker is claiming are skipped, not waited for. A later item of a key never
        // passes the NOT EXISTS while an older one is pending (leased or not), so a key's items are
        // delivered one at a time, in order, across every worker.
        const { rows } = await db.query(
          `WITH c AS (
             SELECT o.seq FROM ${q}.outbox o
             WHERE o.status = 'pending' AND o.available_at <= ${$at} AND (o.lease_until IS NULL OR o.lease_until <= ${$at})
               AND (o.ordering_key IS NULL OR NOT EXISTS (
                 SELECT 1 FROM ${q}.outbox p WHERE p.ordering_key = o.ordering_key AND p.status = 'pending' AND p.seq < o.seq))
               ${filter}
             ORDER BY o.seq LIMIT ${$limit}
             FOR UPDATE SKIP LOCKED)
           UPDATE ${q}.outbox u SET lease_token = gen_random_uuid()::text, lease_until = ${$until}
           FROM c WHERE u.seq = c.seq
           RETURNING u.*`,
          p.values,
        );
        return (rows as Row[])
          .map(
            (row): ClaimedItem => ({ ...toItem(row), leaseToken: row.lease_token as string, leaseUntil: num(row.lease_until) }),
          )
          .sort((a, b) => a.seq - b.seq);
      }),
    beginAttempt: (id, token) =>
      run(async (db) => {
        const now = clock();
        const result = await db.query(
          `UPDATE ${q}.outbox SET attempt_started_at = $3
           WHERE id = $1 AND status = 'pending' AND lease_token = $2 AND lease_until > $3`,
          [id, token, now],
        );
        return result.rowCount === 1;
      }),
    complete: (id, token, entries) => leased(`status = 'done', payload = NULL`, id, token, [], entries),
    fail: (id, token, { error, nextAttemptAt }, entries) =>
      leased(
        `attempts = attempts + 1, available_at = $4, last_error = $5`,
        id,
        token,
        [nextAttemptAt, json(error, 'error')],
        entries,
      ),
    moveToDlq: (id, token, error, entries) =>
      leased(
        `status = 'dead', attempts = attempts + 1, last_error = $4, dead_at = $3`,
        id,
        token,
        [json(error, 'error')],
        entries,
      ),
    listPending: (query: PendingQuery = {}) =>
      run(async (db) => {
        const p = new Params();
        let where = p.topics(query.topics);
        if (query.dueBy !== undefined) {
          const $due = p.add(query.dueBy);
          where += ` AND o.available_at <= ${$due} AND (o.lease_until IS NULL OR o.lease_until <= ${$due})`;
        }
        if (query.orderingKey !== undefined) where += ` AND o.ordering_key = ${p.add(query.orderingKey)}`;
        if (query.afterSeq !== undefined) where += ` AND o.seq > ${p.add(query.afterSeq)}`;
        const sql = `SELECT o.* FROM ${q}.outbox o WHERE o.status = 'pending' ${where} ORDER BY o.seq LIMIT ${p.add(query.limit ?? 100)}`;
        return ((await db.query(sql, p.values)).rows as Row[]).map(toItem);
      }),
    getItem: (id) =>
      run(async (db) => {
        const { rows } = await db.query(`SELECT * FROM ${q}.outbox WHERE id = $1`, [id]);
        return rows[0] && toItem(rows[0] as Row);
      }),
    outboxStats: () =>
      run(async (db) => {
        const { rows } = await db.query(
          `SELECT status, COUNT(*) AS n, COUNT(*) FILTER (WHERE status = 'pending' AND lease_until > $1) AS leased
           FROM ${q}.outbox GROUP BY status`,
          [clock()],
        );
        const stats: OutboxStats = { pending: 0, leased: 0, done: 0, dead: 0 };
        for (const row of rows as Row[]) {
          stats[row.status as 'pending' | 'done' | 'dead'] = num(row.n);
          stats.leased += num(row.leased);
        }
        return stats;
      }),
    pruneDone: (before) =>
      run(
        async (db) =>
          (await db.query(`DELETE FROM ${q}.outbox WHERE status = 'done' AND updated_at < $1`, [before])).rowCount ?? 0,
      ),

    listDlq: (query: DlqQuery = {}) =>
      run(async (db) => {
        const p = new Params();
        let where = `o.status = 'dead'`;
        if (query.topic !== undefined) where += ` AND o.topic = ${p.add(query.topic)}`;
        if (query.integrationPoint !== undefined) where += ` AND o.integration_point = ${p.add(query.integrationPoint)}`;
        if (query.afterSeq !== undefined) where += ` AND o.seq > ${p.add(query.afterSeq)}`;
        const sql = `SELECT o.* FROM ${q}.outbox o WHERE ${where} ORDER BY o.seq LIMIT ${p.add(query.limit ?? 100)}`;
        return ((await db.query(sql, p.values)).rows as Row[]).map(toItem);
      }),
    replayDlq: (id, now) =>
      run(async (db) => {
        const result = await db.query(
          `UPDATE ${q}.outbox SET status = 'pending', attempts = 0, available_at = $2, dead_at = NULL, attempt_started_at = NULL,
             replays = replays + 1, updated_at = $2
           WHERE id = $1 AND status = 'dead'`,
          [id, now ?? clock()],
        );
        return result.rowCount === 1;
      }),
    purgeDlq: (filter: DlqPurge = {}) =>
      run(async (db) => {
        const p = new Params();
        let where = `status = 'dead'`;
        if (filter.ids) where += ` AND id = ANY(${p.add([...filter.ids])}::text[])`;
        if (filter.topic !== undefined) where += ` AND topic = ${p.add(filter.topic)}`;
        if (filter.deadBefore !== undefined) where += ` AND dead_at < ${p.add(filter.deadBefore)}`;
        return (await db.query(`DELETE FROM ${q}.outbox WHERE ${where}`, p.values)).rowCount ?? 0;
      }),

    appendAudit: (entry) => tx((db) => insertAudits(db, [entry], clock())),
    appendAudits: (entries) => tx((db) => insertAudits(db, entries, clock())),
    queryAudit: (query: AuditQuery = {}) =>
      run(async (db) => {
        const p = new Params();
        const where: string[] = [];
        if (query.from !== undefined) where.push(`at >= ${p.add(query.from)}`);
        if (query.to !== undefined) where.push(`at < ${p.add(query.to)}`);
        if (query.integrationPoint !== undefined) where.push(`integration_point = ${p.add(query.integrationPoint)}`);
        if (query.connector !== undefined) where.push(`connector = ${p.add(query.connector)}`);
        if (query.operation !== undefined) where.push(`operation = ${p.add(query.operation)}`);
        if (query.outcome !== undefined) where.push(`outcome = ANY(${p.add([query.outcome].flat())}::text[])`);
        if (query.recordId !== undefined) where.push(`record_ids @> ARRAY[${p.add(query.recordId)}::text]`);
        if (query.afterSeq !== undefined) where.push(`seq ${query.descending ? '<' : '>'} ${p.add(query.afterSeq)}`);
        const order = query.descending ? 'DESC' : 'ASC';
        const sql = `SELECT * FROM ${q}.audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY at ${order}, seq ${order} LIMIT ${p.add(query.limit ?? 1000)}`;
        return ((await db.query(sql, p.values)).rows as Row[]).map(toAudit);
      }),

    async close() {
      if (closed) return;
      closed = true;
      await migrated.catch(() => {});
      if (ownsPool) await pool.end().catch(() => {});
    },
  };
  return store;
}
