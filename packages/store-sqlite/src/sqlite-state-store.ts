import { randomUUID } from 'node:crypto';
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
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA, SCHEMA_VERSION } from './schema.js';

/** Options of {@link createSqliteStateStore}. */
export interface SqliteStateStoreOptions {
  /** The database file (created when missing), or `:memory:`. The host chooses where it lives. */
  path: string;
  /**
   * `full` (default) makes every commit durable across power loss before a webhook is answered;
   * `normal` is faster and still survives a process crash (WAL), but may lose the last commits on
   * power loss.
   */
  synchronous?: 'full' | 'normal';
  /** How long to wait for another connection's lock (ms). Default 5000. */
  busyTimeoutMs?: number;
  /** The clock (ms since the epoch); `Date.now` by default. */
  now?: () => number;
}

/** A {@link StateStore} on SQLite that also exposes the database for maintenance. */
export interface SqliteStateStore extends StateStore {
  /** The file path. */
  readonly path: string;
  /** Runs a WAL checkpoint (truncating the WAL file); the store does this on close too. */
  checkpointWal(): void;
}

type Row = Record<string, unknown>;

function storeError(error: unknown): HmiError {
  if (isHmiError(error)) return error;
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'SQLITE_ERROR';
  const busy = code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
  // The SQLite message is left out: it can quote a value of a failed statement.
  return new HmiError(`state store operation failed (${code})`, { code: 'store_error', retryable: busy, vendorCode: code });
}

function json(value: unknown, what: string): string {
  try {
    return JSON.stringify(value === undefined ? null : value);
  } catch {
    throw new ValidationError(`${what} is not JSON-serialisable`);
  }
}

const parse = (text: unknown): unknown => (typeof text === 'string' ? JSON.parse(text) : undefined);
const opt = <T>(value: unknown): T | undefined => (value === null || value === undefined ? undefined : (value as T));

function toItem(row: Row): OutboxItem {
  return {
    id: row.id as string,
    topic: row.topic as string,
    payload: parse(row.payload),
    orderingKey: opt(row.ordering_key),
    integrationPoint: opt(row.integration_point),
    connector: opt(row.connector),
    status: row.status as OutboxItem['status'],
    attempts: row.attempts as number,
    seq: row.seq as number,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
    availableAt: row.available_at as number,
    lastError: parse(row.last_error) as OutboxItem['lastError'],
    deadAt: opt(row.dead_at),
    replays: row.replays as number,
    attemptStartedAt: opt(row.attempt_started_at),
  };
}

function toAudit(row: Row): AuditRecord {
  return {
    seq: row.seq as number,
    at: row.at as number,
    integrationPoint: row.integration_point as string,
    connector: opt(row.connector),
    operation: row.operation as string,
    recordIds: parse(row.record_ids) as string[],
    outcome: row.outcome as AuditRecord['outcome'],
    trigger: row.trigger as string,
    errorCode: opt(row.error_code),
    durationMs: opt(row.duration_ms),
    correlationId: opt(row.correlation_id),
  };
}

/** `LIKE` pattern of a topic prefix, with its wildcards escaped. */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The SQL (`AND …`) of a topic filter on alias `o`, pushing its parameters. */
function topicFilter(topics: readonly string[] | undefined, params: unknown[]): string {
  if (!topics || topics.length === 0) return '';
  for (const t of topics) params.push(t.endsWith('*') ? '' : t, t.endsWith('*') ? likePrefix(t.slice(0, -1)) : '');
  return `AND (${topics.map(() => "(o.topic = ? OR o.topic LIKE ? ESCAPE '\\')").join(' OR ')})`;
}

/**
 * A {@link StateStore} in a SQLite file (better-sqlite3): WAL journal, every multi-step change in
 * one transaction, claims under `BEGIN IMMEDIATE` so several processes can share the file. It
 * survives restarts and crashes: what a method reported done is on disk.
 */
export function createSqliteStateStore(options: SqliteStateStoreOptions): SqliteStateStore {
  if (typeof options?.path !== 'string' || options.path.length === 0) {
    throw new ConfigError('createSqliteStateStore needs a path');
  }
  const clock = options.now ?? Date.now;
  let db: Database.Database;
  try {
    db = new Database(options.path);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('foreign_keys = ON');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new ConfigError(`the state store file has schema ${version}, newer than this @hmi/store-sqlite (${SCHEMA_VERSION})`);
    }
    db.transaction(() => {
      const hasOutbox = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'hmi_outbox'`).get();
      // A file made by an older version (user_version 0 with tables means version 1) is migrated
      // step by step; a new file gets the whole schema at once.
      if (hasOutbox) for (let v = Math.max(version, 1) + 1; v <= SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] ?? '');
      db.exec(SCHEMA);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
  } catch (error) {
    throw isHmiError(error)
      ? error
      : new ConfigError('could not open the state store file', { code: 'store_error', cause: error });
  }

  const s = {
    getCheckpoint: db.prepare('SELECT value, updated_at FROM hmi_checkpoints WHERE sync_id = ?'),
    setCheckpoint: db.prepare(
      `INSERT INTO hmi_checkpoints (sync_id, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (sync_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ),
    deleteCheckpoint: db.prepare('DELETE FROM hmi_checkpoints WHERE sync_id = ?'),
    markSeen: db.prepare(
      `INSERT INTO hmi_seen (namespace, key, expires_at) VALUES (@ns, @key, @expires)
       ON CONFLICT (namespace, key) DO UPDATE SET expires_at = excluded.expires_at
       WHERE hmi_seen.expires_at IS NOT NULL AND hmi_seen.expires_at <= @now`,
    ),
    pruneSeen: db.prepare('DELETE FROM hmi_seen WHERE expires_at IS NOT NULL AND expires_at <= ?'),
    enqueue: db.prepare(
      `INSERT INTO hmi_outbox (id, topic, payload, ordering_key, integration_point, connector, status, attempts,
         available_at, created_at, updated_at)
       VALUES (@id, @topic, @payload, @orderingKey, @integrationPoint, @connector, 'pending', 0, @availableAt, @now, @now)
       ON CONFLICT (id) DO NOTHING`,
    ),
    lease: db.prepare('UPDATE hmi_outbox SET lease_token = ?, lease_until = ? WHERE seq = ?'),
    begin: db.prepare(
      `UPDATE hmi_outbox SET attempt_started_at = @now
       WHERE id = @id AND status = 'pending' AND lease_token = @token AND lease_until > @now`,
    ),
    complete: db.prepare(
      `UPDATE hmi_outbox SET status = 'done', payload = NULL, lease_token = NULL, lease_until = NULL,
         attempt_started_at = NULL, updated_at = @now
       WHERE id = @id AND status = 'pending' AND lease_token = @token AND lease_until > @now`,
    ),
    fail: db.prepare(
      `UPDATE hmi_outbox SET attempts = attempts + 1, available_at = @next, last_error = @error,
         lease_token = NULL, lease_until = NULL, attempt_started_at = NULL, updated_at = @now
       WHERE id = @id AND status = 'pending' AND lease_token = @token AND lease_until > @now`,
    ),
    dead: db.prepare(
      `UPDATE hmi_outbox SET status = 'dead', attempts = attempts + 1, last_error = @error, dead_at = @now,
         lease_token = NULL, lease_until = NULL, attempt_started_at = NULL, updated_at = @now
       WHERE id = @id AND status = 'pending' AND lease_token = @token AND lease_until > @now`,
    ),
    getItem: db.prepare('SELECT * FROM hmi_outbox WHERE id = ?'),
    stats: db.prepare(
      `SELECT status, COUNT(*) AS n, SUM(CASE WHEN status = 'pending' AND lease_until > ? THEN 1 ELSE 0 END) AS leased
       FROM hmi_outbox GROUP BY status`,
    ),
    pruneDone: db.prepare(`DELETE FROM hmi_outbox WHERE status = 'done' AND updated_at < ?`),
    replay: db.prepare(
      `UPDATE hmi_outbox SET status = 'pending', attempts = 0, available_at = @now, dead_at = NULL, attempt_started_at = NULL,
         replays = replays + 1, updated_at = @now
       WHERE id = @id AND status = 'dead'`,
    ),
    audit: db.prepare(
      `INSERT INTO hmi_audit (at, integration_point, connector, operation, record_ids, outcome, trigger, error_code,
         duration_ms, correlation_id)
       VALUES (@at, @integrationPoint, @connector, @operation, @recordIds, @outcome, @trigger, @errorCode, @durationMs, @correlationId)`,
    ),
  };
  const cached = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let stmt = cached.get(sql);
    if (!stmt) cached.set(sql, (stmt = db.prepare(sql)));
    return stmt;
  };

  const closedError = () => new ConfigError('the state store is closed', { code: 'store_closed' });

  /** Runs a read on an open database, turning SQLite errors into typed, value-free HmiErrors. */
  const read = async <T>(fn: () => T): Promise<T> => {
    if (!db.open) throw closedError();
    try {
      return fn();
    } catch (error) {
      throw storeError(error);
    }
  };

  // Group commit: writes issued in the same turn of the event loop share one transaction, hence one
  // fsync (a few ms with synchronous=FULL, during which better-sqlite3 blocks the loop). Each write
  // runs in its own savepoint, so one failing write rolls back alone; every promise settles only
  // after the COMMIT, so "resolved" still means "on disk".
  type Op = { fn: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void };
  let queue: Op[] = [];
  let scheduled = false;
  const savepoint = db.transaction((fn: () => unknown) => fn());
  const batch = db.transaction((ops: Op[], results: Array<{ ok: boolean; value: unknown }>) => {
    for (const op of ops) {
      try {
        results.push({ ok: true, value: savepoint(op.fn) });
      } catch (error) {
        results.push({ ok: false, value: error });
      }
    }
  });
  const flush = () => {
    scheduled = false;
    const ops = queue;
    queue = [];
    if (ops.length === 0) return;
    if (!db.open) {
      for (const op of ops) op.reject(closedError());
      return;
    }
    const results: Array<{ ok: boolean; value: unknown }> = [];
    try {
      batch.immediate(ops, results);
    } catch (error) {
      for (const op of ops) op.reject(storeError(error));
      return;
    }
    ops.forEach((op, i) => {
      const r = results[i]!;
      if (r.ok) op.resolve(r.value);
      else op.reject(storeError(r.value));
    });
  };
  const write = <T>(fn: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (!db.open) return reject(closedError());
      queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });

  const insertAudits = (entries: readonly AuditEntry[], now: number) => {
    for (const e of entries) {
      s.audit.run({
        at: e.at ?? now,
        integrationPoint: e.integrationPoint,
        connector: e.connector ?? null,
        operation: e.operation,
        recordIds: JSON.stringify((e.recordIds ?? []).map(String)),
        outcome: e.outcome,
        trigger: e.trigger,
        errorCode: e.errorCode ?? null,
        durationMs: e.durationMs ?? null,
        correlationId: e.correlationId ?? null,
      });
    }
  };
  /** Runs a lease-checked update and, when it took, its audit records. */
  const leased = (stmt: Database.Statement, params: Record<string, unknown>, entries: readonly AuditEntry[] | undefined) => {
    const ok = stmt.run(params).changes === 1;
    if (ok && entries?.length) insertAudits(entries, params.now as number);
    return ok;
  };
  const claim = (sql: string, params: unknown[], leaseUntil: number) => {
    const rows = prepare(sql).all(...params) as Row[];
    return rows.map((row): ClaimedItem => {
      const token = randomUUID();
      s.lease.run(token, leaseUntil, row.seq);
      return { ...toItem(row), leaseToken: token, leaseUntil };
    });
  };

  return {
    path: options.path,
    checkpointWal() {
      if (db.open) db.pragma('wal_checkpoint(TRUNCATE)');
    },
    getCheckpoint: (syncId) =>
      read(() => {
        const row = s.getCheckpoint.get(syncId) as Row | undefined;
        return row && { syncId, checkpoint: parse(row.value), updatedAt: row.updated_at as number };
      }),
    setCheckpoint: (syncId, checkpoint, entries = []) =>
      write(() => {
        const now = clock();
        s.setCheckpoint.run(syncId, json(checkpoint, 'checkpoint'), now);
        insertAudits(entries, now);
      }),
    deleteCheckpoint: (syncId) => write(() => void s.deleteCheckpoint.run(syncId)),

    markSeen: (namespace, key, ttlMs) =>
      write(() => {
        const now = clock();
        return s.markSeen.run({ ns: namespace, key, expires: ttlMs === undefined ? null : now + ttlMs, now }).changes === 1;
      }),
    pruneSeen: (now) => write(() => s.pruneSeen.run(now ?? clock()).changes),

    enqueue: (items, entries) =>
      write(() => {
        const now = clock();
        const rows = items.map((item) => ({
          id: item.id,
          topic: item.topic,
          payload: json(item.payload, 'outbox payload'),
          orderingKey: item.orderingKey ?? null,
          integrationPoint: item.integrationPoint ?? null,
          connector: item.connector ?? null,
          availableAt: item.availableAt ?? now,
          now,
        }));
        const results = rows.map((row) => ({ id: row.id, created: s.enqueue.run(row).changes === 1 }));
        const audit = typeof entries === 'function' ? entries(results) : entries;
        if (audit?.length) insertAudits(audit, now);
        return results;
      }),
    claim: ({ limit, leaseMs, now, topics, ids }) =>
      write(() => {
        const at = now ?? clock();
        const params: unknown[] = [at, at];
        let topicSql = topicFilter(topics, params);
        if (ids) {
          topicSql += ' AND o.id IN (SELECT value FROM json_each(?))';
          params.push(JSON.stringify(ids));
        }
        params.push(Math.max(0, Math.floor(limit)));
        const sql = `SELECT o.* FROM hmi_outbox o
          WHERE o.status = 'pending' AND o.available_at <= ? AND (o.lease_until IS NULL OR o.lease_until <= ?)
            AND (o.ordering_key IS NULL OR NOT EXISTS (
              SELECT 1 FROM hmi_outbox p WHERE p.ordering_key = o.ordering_key AND p.status = 'pending' AND p.seq < o.seq))
            ${topicSql}
          ORDER BY o.seq LIMIT ?`;
        return claim(sql, params, at + leaseMs);
      }),
    beginAttempt: (id, token) => write(() => s.begin.run({ id, token, now: clock() }).changes === 1),
    complete: (id, token, entries) => write(() => leased(s.complete, { id, token, now: clock() }, entries)),
    fail: (id, token, { error, nextAttemptAt }, entries) =>
      write(() => leased(s.fail, { id, token, now: clock(), next: nextAttemptAt, error: json(error, 'error') }, entries)),
    moveToDlq: (id, token, error, entries) =>
      write(() => leased(s.dead, { id, token, now: clock(), error: json(error, 'error') }, entries)),
    listPending: (query: PendingQuery = {}) =>
      read(() => {
        const params: unknown[] = [];
        let where = topicFilter(query.topics, params);
        if (query.dueBy !== undefined) {
          where += ' AND o.available_at <= ? AND (o.lease_until IS NULL OR o.lease_until <= ?)';
          params.push(query.dueBy, query.dueBy);
        }
        if (query.orderingKey !== undefined) {
          where += ' AND o.ordering_key = ?';
          params.push(query.orderingKey);
        }
        if (query.afterSeq !== undefined) {
          where += ' AND o.seq > ?';
          params.push(query.afterSeq);
        }
        params.push(query.limit ?? 100);
        const sql = `SELECT o.* FROM hmi_outbox o WHERE o.status = 'pending' ${where} ORDER BY o.seq LIMIT ?`;
        return (prepare(sql).all(...params) as Row[]).map(toItem);
      }),
    getItem: (id) =>
      read(() => {
        const row = s.getItem.get(id) as Row | undefined;
        return row && toItem(row);
      }),
    outboxStats: () =>
      read(() => {
        const stats: OutboxStats = { pending: 0, leased: 0, done: 0, dead: 0 };
        for (const row of s.stats.all(clock()) as Row[]) {
          stats[row.status as 'pending' | 'done' | 'dead'] = row.n as number;
          stats.leased += (row.leased as number) ?? 0;
        }
        return stats;
      }),
    pruneDone: (before) => write(() => s.pruneDone.run(before).changes),

    listDlq: (query: DlqQuery = {}) =>
      read(() => {
        const where = [`status = 'dead'`];
        const params: unknown[] = [];
        if (query.topic !== undefined) where.push('topic = ?') && params.push(query.topic);
        if (query.integrationPoint !== undefined) where.push('integration_point = ?') && params.push(query.integrationPoint);
        if (query.afterSeq !== undefined) where.push('seq > ?') && params.push(query.afterSeq);
        params.push(query.limit ?? 100);
        const rows = prepare(`SELECT * FROM hmi_outbox WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`).all(
          ...params,
        ) as Row[];
        return rows.map(toItem);
      }),
    replayDlq: (id, now) => write(() => s.replay.run({ id, now: now ?? clock() }).changes === 1),
    purgeDlq: (filter: DlqPurge = {}) =>
      write(() => {
        const where = [`status = 'dead'`];
        const params: unknown[] = [];
        if (filter.ids) where.push('id IN (SELECT value FROM json_each(?))') && params.push(JSON.stringify(filter.ids));
        if (filter.topic !== undefined) where.push('topic = ?') && params.push(filter.topic);
        if (filter.deadBefore !== undefined) where.push('dead_at < ?') && params.push(filter.deadBefore);
        return prepare(`DELETE FROM hmi_outbox WHERE ${where.join(' AND ')}`).run(...params).changes;
      }),

    appendAudit: (entry) => write(() => insertAudits([entry], clock())),
    appendAudits: (entries) => write(() => insertAudits(entries, clock())),
    queryAudit: (query: AuditQuery = {}) =>
      read(() => {
        const where: string[] = [];
        const params: unknown[] = [];
        const add = (sql: string, value: unknown) => {
          where.push(sql);
          params.push(value);
        };
        if (query.from !== undefined) add('at >= ?', query.from);
        if (query.to !== undefined) add('at < ?', query.to);
        if (query.integrationPoint !== undefined) add('integration_point = ?', query.integrationPoint);
        if (query.connector !== undefined) add('connector = ?', query.connector);
        if (query.operation !== undefined) add('operation = ?', query.operation);
        if (query.outcome !== undefined)
          add('outcome IN (SELECT value FROM json_each(?))', JSON.stringify([query.outcome].flat()));
        if (query.recordId !== undefined) add('EXISTS (SELECT 1 FROM json_each(record_ids) WHERE value = ?)', query.recordId);
        if (query.afterSeq !== undefined) add(query.descending ? 'seq < ?' : 'seq > ?', query.afterSeq);
        const order = query.descending ? 'DESC' : 'ASC';
        params.push(query.limit ?? 1000);
        const sql = `SELECT * FROM hmi_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY at ${order}, seq ${order} LIMIT ?`;
        return (prepare(sql).all(...params) as Row[]).map(toAudit);
      }),

    async close() {
      if (!db.open) return;
      flush();
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // Another connection may hold the WAL; closing is still safe.
      }
      db.close();
    },
  };
}
