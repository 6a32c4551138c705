import { randomUUID } from 'node:crypto';
import { ConfigError, type SerializedHmiError } from '@hmi/core';
import { fromJson, toJson } from '../util/json.js';
import { topicMatches } from '../util/topics.js';
import type {
  AuditEntry,
  AuditQuery,
  AuditRecord,
  CheckpointRecord,
  ClaimedItem,
  ClaimOptions,
  DlqPurge,
  DlqQuery,
  EnqueueResult,
  FailOptions,
  OutboxItem,
  OutboxStats,
  PendingQuery,
  StateStore,
} from './types.js';

/** Options of {@link createMemoryStateStore}. */
export interface MemoryStateStoreOptions {
  /** The clock for timestamps and TTLs (ms since the epoch); `Date.now` by default. */
  now?: () => number;
}

interface Row extends Omit<OutboxItem, 'payload'> {
  payload: string | null;
  leaseToken: string | undefined;
  leaseUntil: number | undefined;
}

/**
 * A {@link StateStore} in memory, for tests and examples. It keeps the same semantics as the SQLite
 * store (it passes the same conformance suite, values are copied through JSON) but forgets
 * everything when the process ends.
 */
export function createMemoryStateStore(options: MemoryStateStoreOptions = {}): StateStore {
  const clock = options.now ?? Date.now;
  const checkpoints = new Map<string, { value: string; updatedAt: number }>();
  const seen = new Map<string, number | null>();
  const outbox = new Map<string, Row>();
  const audit: AuditRecord[] = [];
  let seq = 0;
  let auditSeq = 0;
  let closed = false;

  const open = () => {
    if (closed) throw new ConfigError('the state store is closed', { code: 'store_closed' });
  };
  const toItem = (row: Row): OutboxItem => {
    const { leaseToken: _t, leaseUntil: _u, payload, lastError, ...rest } = row;
    return { ...rest, payload: fromJson(payload), lastError: lastError && structuredClone(lastError) };
  };
  const appendAudits = (entries: readonly AuditEntry[]) => {
    open();
    const now = clock();
    for (const e of entries) audit.push(toAuditRecord(e, ++auditSeq, now));
  };
  const leased = (row: Row, now: number) => row.leaseUntil !== undefined && row.leaseUntil > now;
  const holds = (row: Row | undefined, token: string, now: number): row is Row =>
    row !== undefined && row.status === 'pending' && row.leaseToken === token && leased(row, now);

  return {
    async getCheckpoint(syncId) {
      open();
      const c = checkpoints.get(syncId);
      return c && ({ syncId, checkpoint: fromJson(c.value), updatedAt: c.updatedAt } satisfies CheckpointRecord);
    },
    async setCheckpoint(syncId, checkpoint, entries) {
      open();
      checkpoints.set(syncId, { value: toJson(checkpoint, 'checkpoint'), updatedAt: clock() });
      if (entries?.length) appendAudits(entries);
    },
    async deleteCheckpoint(syncId) {
      open();
      checkpoints.delete(syncId);
    },

    async markSeen(namespace, key, ttlMs) {
      open();
      const id = `${namespace}\u0000${key}`;
      const now = clock();
      const expires = seen.get(id);
      if (expires !== undefined && (expires === null || expires > now)) return false;
      seen.set(id, ttlMs === undefined ? null : now + ttlMs);
      return true;
    },
    async pruneSeen(now = clock()) {
      open();
      let n = 0;
      for (const [k, exp] of seen) if (exp !== null && exp <= now && seen.delete(k)) n++;
      return n;
    },

    async enqueue(items, entries) {
      open();
      const now = clock();
      // Serialise everything first so one bad payload leaves the outbox untouched (atomicity).
      const prepared = items.map((item) => ({ item, payload: toJson(item.payload, 'outbox payload') }));
      const results: EnqueueResult[] = [];
      for (const { item, payload } of prepared) {
        if (outbox.has(item.id)) {
          results.push({ id: item.id, created: false });
          continue;
        }
        outbox.set(item.id, {
          id: item.id,
          topic: item.topic,
          payload,
          orderingKey: item.orderingKey,
          integrationPoint: item.integrationPoint,
          connector: item.connector,
          status: 'pending',
          attempts: 0,
          seq: ++seq,
          createdAt: now,
          updatedAt: now,
          availableAt: item.availableAt ?? now,
          lastError: undefined,
          deadAt: undefined,
          replays: 0,
          attemptStartedAt: undefined,
          leaseToken: undefined,
          leaseUntil: undefined,
        });
        results.push({ id: item.id, created: true });
      }
      const audit = typeof entries === 'function' ? entries(results) : entries;
      if (audit?.length) appendAudits(audit);
      return results;
    },
    async claim({ limit, leaseMs, now = clock(), topics, ids }: ClaimOptions) {
      open();
      const only = ids && new Set(ids);
      const pending = [...outbox.values()].filter((r) => r.status === 'pending').sort((a, b) => a.seq - b.seq);
      const headOfKey = new Set<string>();
      const claimed: ClaimedItem[] = [];
      for (const row of pending) {
        const key = row.orderingKey;
        const isHead = key === undefined || !headOfKey.has(key);
        if (key !== undefined) headOfKey.add(key);
        if (claimed.length >= limit) break;
        if (!isHead || row.availableAt > now || leased(row, now) || !topicMatches(row.topic, topics)) continue;
        if (only && !only.has(row.id)) continue;
        row.leaseToken = randomUUID();
        row.leaseUntil = now + leaseMs;
        claimed.push({ ...toItem(row), leaseToken: row.leaseToken, leaseUntil: row.leaseUntil });
      }
      return claimed;
    },
    async complete(id, token, entries) {
      open();
      const row = outbox.get(id);
      const now = clock();
      if (!holds(row, token, now)) return false;
      Object.assign(row, {
        status: 'done',
        payload: null,
        leaseToken: undefined,
        leaseUntil: undefined,
        attemptStartedAt: undefined,
        updatedAt: now,
      });
      if (entries?.length) appendAudits(entries);
      return true;
    },
    async beginAttempt(id, token) {
      open();
      const row = outbox.get(id);
      const now = clock();
      if (!holds(row, token, now)) return false;
      row.attemptStartedAt = now;
      return true;
    },
    async fail(id, token, { error, nextAttemptAt }: FailOptions, entries) {
      open();
      const row = outbox.get(id);
      const now = clock();
      if (!holds(row, token, now)) return false;
      Object.assign(row, {
        attempts: row.attempts + 1,
        availableAt: nextAttemptAt,
        lastError: structuredClone(error),
        leaseToken: undefined,
        leaseUntil: undefined,
        attemptStartedAt: undefined,
        updatedAt: now,
      });
      if (entries?.length) appendAudits(entries);
      return true;
    },
    async moveToDlq(id, token, error: SerializedHmiError, entries) {
      open();
      const row = outbox.get(id);
      const now = clock();
      if (!holds(row, token, now)) return false;
      Object.assign(row, {
        status: 'dead',
        attempts: row.attempts + 1,
        lastError: structuredClone(error),
        deadAt: now,
        leaseToken: undefined,
        leaseUntil: undefined,
        attemptStartedAt: undefined,
        updatedAt: now,
      });
      if (entries?.length) appendAudits(entries);
      return true;
    },
    async listPending(query: PendingQuery = {}) {
      open();
      const due = query.dueBy;
      return [...outbox.values()]
        .filter(
          (r) =>
            r.status === 'pending' &&
            topicMatches(r.topic, query.topics) &&
            (due === undefined || (r.availableAt <= due && !leased(r, due))) &&
            (query.orderingKey === undefined || r.orderingKey === query.orderingKey) &&
            (query.afterSeq === undefined || r.seq > query.afterSeq),
        )
        .sort((a, b) => a.seq - b.seq)
        .slice(0, query.limit ?? 100)
        .map(toItem);
    },
    async getItem(id) {
      open();
      const row = outbox.get(id);
      return row && toItem(row);
    },
    async outboxStats() {
      open();
      const now = clock();
      const stats: OutboxStats = { pending: 0, leased: 0, done: 0, dead: 0 };
      for (const row of outbox.values()) {
        stats[row.status]++;
        if (row.status === 'pending' && leased(row, now)) stats.leased++;
      }
      return stats;
    },
    async pruneDone(before) {
      open();
      let n = 0;
      for (const [id, row] of outbox) if (row.status === 'done' && row.updatedAt < before && outbox.delete(id)) n++;
      return n;
    },

    async listDlq(query: DlqQuery = {}) {
      open();
      return [...outbox.values()]
        .filter(
          (r) =>
            r.status === 'dead' &&
            (query.topic === undefined || r.topic === query.topic) &&
            (query.integrationPoint === undefined || r.integrationPoint === query.integrationPoint) &&
            (query.afterSeq === undefined || r.seq > query.afterSeq),
        )
        .sort((a, b) => a.seq - b.seq)
        .slice(0, query.limit ?? 100)
        .map(toItem);
    },
    async replayDlq(id, now = clock()) {
      open();
      const row = outbox.get(id);
      if (row?.status !== 'dead') return false;
      Object.assign(row, {
        status: 'pending',
        attempts: 0,
        availableAt: now,
        deadAt: undefined,
        attemptStartedAt: undefined,
        replays: row.replays + 1,
        updatedAt: now,
      });
      return true;
    },
    async purgeDlq(filter: DlqPurge = {}) {
      open();
      const ids = filter.ids && new Set(filter.ids);
      let n = 0;
      for (const [id, row] of outbox) {
        if (row.status !== 'dead') continue;
        if (ids && !ids.has(id)) continue;
        if (filter.topic !== undefined && row.topic !== filter.topic) continue;
        if (filter.deadBefore !== undefined && (row.deadAt ?? 0) >= filter.deadBefore) continue;
        outbox.delete(id);
        n++;
      }
      return n;
    },

    async appendAudit(entry) {
      appendAudits([entry]);
    },
    async appendAudits(entries) {
      appendAudits(entries);
    },
    async queryAudit(query: AuditQuery = {}) {
      open();
      const outcomes = query.outcome === undefined ? undefined : new Set([query.outcome].flat());
      const rows = audit.filter(
        (r) =>
          (query.from === undefined || r.at >= query.from) &&
          (query.to === undefined || r.at < query.to) &&
          (query.integrationPoint === undefined || r.integrationPoint === query.integrationPoint) &&
          (query.connector === undefined || r.connector === query.connector) &&
          (query.operation === undefined || r.operation === query.operation) &&
          (outcomes === undefined || outcomes.has(r.outcome)) &&
          (query.recordId === undefined || r.recordIds.includes(query.recordId)) &&
          (query.afterSeq === undefined || (query.descending ? r.seq < query.afterSeq : r.seq > query.afterSeq)),
      );
      rows.sort((a, b) => (query.descending ? b.at - a.at || b.seq - a.seq : a.at - b.at || a.seq - b.seq));
      return rows.slice(0, query.limit ?? 1000).map((r) => ({ ...r, recordIds: [...r.recordIds] }));
    },

    async close() {
      closed = true;
    },
  };
}

/**
 * Normalises an audit entry into the stored record. Shared by stores so they agree on defaults.
 * @internal
 */
export function toAuditRecord(entry: AuditEntry, seq: number, now: number): AuditRecord {
  return {
    seq,
    at: entry.at ?? now,
    integrationPoint: entry.integrationPoint,
    connector: entry.connector,
    operation: entry.operation,
    recordIds: entry.recordIds ? entry.recordIds.map(String) : [],
    outcome: entry.outcome,
    trigger: entry.trigger,
    errorCode: entry.errorCode,
    durationMs: entry.durationMs,
    correlationId: entry.correlationId,
  };
}
