import type { SerializedHmiError } from '@hmi/core';

/** A JSON value as the store keeps it: what `JSON.stringify` round-trips. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A saved sync checkpoint. */
export interface CheckpointRecord {
  /** The sync id (`runSync({ id })`). */
  syncId: string;
  /** The checkpoint the source gave with the last committed page. */
  checkpoint: unknown;
  /** When it was saved (ms since the epoch). */
  updatedAt: number;
}

/** Where an outbox item is in its life. `dead` items are the dead-letter queue. */
export type OutboxStatus = 'pending' | 'done' | 'dead';

/** What {@link StateStore.enqueue} takes. */
export interface OutboxEnqueue {
  /**
   * The item's unique id, and its dedupe key: enqueueing an id the store already holds (pending,
   * done or dead) changes nothing and reports `created: false`. Webhook events use
   * `webhook:<connector>:<eventId>`.
   */
  id: string;
  /** What kind of work it is, e.g. `webhook:stripe` or `deliver:fhir.upsertPatient`. Workers filter on it. */
  topic: string;
  /** The work itself. May hold patient data: it lives only in the store, never in telemetry or audit. */
  payload: unknown;
  /**
   * Items with the same ordering key (a patient id, say) are delivered one at a time in enqueue
   * order; items without one, or with different keys, do not wait for each other.
   */
  orderingKey?: string;
  /** The integration point the item belongs to, for audit and metrics. */
  integrationPoint?: string;
  /** The connector the item belongs to. */
  connector?: string;
  /** Earliest delivery time (ms since the epoch); now by default. */
  availableAt?: number;
}

/** The outcome of one enqueue. */
export interface EnqueueResult {
  id: string;
  /** False when the id was already known (a duplicate). */
  created: boolean;
}

/** An item in the outbox or the dead-letter queue. */
export interface OutboxItem {
  id: string;
  topic: string;
  payload: unknown;
  orderingKey: string | undefined;
  integrationPoint: string | undefined;
  connector: string | undefined;
  status: OutboxStatus;
  /** Failed delivery attempts so far. */
  attempts: number;
  /** Enqueue order, strictly increasing within a store. */
  seq: number;
  createdAt: number;
  updatedAt: number;
  /** When the next attempt is due (pending items). */
  availableAt: number;
  /** The last failure, as `HmiError.toJSON()`; never a payload. */
  lastError: SerializedHmiError | undefined;
  /** When the item was moved to the dead-letter queue. */
  deadAt: number | undefined;
  /** Times the item was replayed out of the dead-letter queue. */
  replays: number;
  /**
   * When the last attempt started sending ({@link StateStore.beginAttempt}) without its outcome being
   * recorded yet. Set on an item claimed again means the worker that sent it died (or lost its
   * lease) mid-send: the item is *in doubt*, the vendor may or may not have it.
   */
  attemptStartedAt: number | undefined;
}

/** An item a worker holds under a lease. */
export interface ClaimedItem extends OutboxItem {
  /** Proves the lease; `complete` and `fail` are ignored without the current token. */
  leaseToken: string;
  /** When the lease runs out and another worker may take the item. */
  leaseUntil: number;
}

/** Options of {@link StateStore.claim}. */
export interface ClaimOptions {
  /** Most items to take. */
  limit: number;
  /** How long the lease lasts (ms). An item whose lease ran out is claimable again. */
  leaseMs: number;
  /** The current time (ms); the store's clock by default. */
  now?: number;
  /** Only these topics; a trailing `*` matches a prefix (`webhook:*`). All topics by default. */
  topics?: readonly string[];
  /**
   * Only these items (a queue runner claims the item its job names). The other rules still hold:
   * an item that is not due, leased, or behind an older item of its ordering key is not claimed.
   */
  ids?: readonly string[];
}

/** A page request on pending items, for sweepers that re-enqueue work a transport lost. */
export interface PendingQuery {
  /** Only these topics (`webhook:*` matches a prefix). */
  topics?: readonly string[];
  /** Only items due at or before this time (ms) and not leased at that time. */
  dueBy?: number;
  /** Only items of this ordering key (the oldest first is the key's head). */
  orderingKey?: string;
  /** Most items to return; 100 by default. */
  limit?: number;
  /** Return items after this `seq` (paging). */
  afterSeq?: number;
}

/** Options of {@link StateStore.fail}. */
export interface FailOptions {
  /** The error, as `HmiError.toJSON()`. */
  error: SerializedHmiError;
  /** When to try again (ms since the epoch). */
  nextAttemptAt: number;
}

/** A page request on the dead-letter queue. */
export interface DlqQuery {
  topic?: string;
  integrationPoint?: string;
  /** Most items to return; 100 by default. */
  limit?: number;
  /** Return items after this `seq` (paging). */
  afterSeq?: number;
}

/** Which dead items {@link StateStore.purgeDlq} removes. No filter removes all. */
export interface DlqPurge {
  ids?: readonly string[];
  topic?: string;
  /** Only items dead before this time (ms). */
  deadBefore?: number;
}

/** Counts of the outbox, for status pages and alerts. */
export interface OutboxStats {
  pending: number;
  /** Pending items currently leased by a worker. */
  leased: number;
  done: number;
  dead: number;
}

/** What an audit record says happened. */
export type AuditOutcome = 'success' | 'failure' | 'retry' | 'dead' | 'duplicate' | 'rejected' | 'skipped';

/** What set an exchange off. */
export type AuditTrigger = 'schedule' | 'manual' | 'webhook' | 'retry' | 'replay' | (string & {});

/**
 * One exchange, as HIPAA 164.312(b) asks: when, where, what, on which records, with what outcome,
 * set off by what. Never a payload: ids and codes only.
 */
export interface AuditEntry {
  /** When (ms since the epoch); now by default. */
  at?: number;
  /** The integration point, e.g. `ehr-to-crm-patients` or `webhook:stripe`. */
  integrationPoint: string;
  /** The connector id. */
  connector?: string;
  /** What was done: `sync.write`, `webhook.received`, `webhook.processed`, `outbox.delivery`, … */
  operation: string;
  /** Ids of the records concerned (source ids, event ids). Never names or other values. */
  recordIds?: readonly string[];
  outcome: AuditOutcome;
  trigger: AuditTrigger;
  /** The error code on failure. */
  errorCode?: string;
  durationMs?: number;
  /** Ties records of one run or one delivery together (a sync run id, an outbox item id). */
  correlationId?: string;
}

/** An audit record as stored. */
export interface AuditRecord extends Required<Pick<AuditEntry, 'at' | 'integrationPoint' | 'operation' | 'outcome' | 'trigger'>> {
  /** Store-assigned, increasing. */
  seq: number;
  connector: string | undefined;
  recordIds: string[];
  errorCode: string | undefined;
  durationMs: number | undefined;
  correlationId: string | undefined;
}

/** A query on the audit trail. Every filter is optional; results are in time order. */
export interface AuditQuery {
  /** From this time, inclusive (ms). */
  from?: number;
  /** Up to this time, exclusive (ms). */
  to?: number;
  integrationPoint?: string;
  connector?: string;
  operation?: string;
  outcome?: AuditOutcome | readonly AuditOutcome[];
  /** Records concerning this record id. */
  recordId?: string;
  /** Most records; 1000 by default. */
  limit?: number;
  /** Records after this `seq` (paging). */
  afterSeq?: number;
  /** Newest first. */
  descending?: boolean;
}

/**
 * Audit records written in the same transaction as a state change: a list, or a function of the
 * change's result. `complete`, `fail` and `moveToDlq` write them only when they succeed.
 */
export type AuditInput<R> = readonly AuditEntry[] | ((result: R) => readonly AuditEntry[]);

/**
 * Where hmi keeps the state of its data flows: sync checkpoints, dedupe keys, the outbox and its
 * dead-letter queue, and the audit trail. Every method is async so a networked store (Postgres,
 * Redis) can implement the same interface; every multi-step change is atomic.
 *
 * Implementations: `createMemoryStateStore()` (tests), `createSqliteStateStore()` in
 * `@hmi/store-sqlite`. A new store proves itself with `runStateStoreConformance` from
 * `@hmi/flow/testing`.
 */
export interface StateStore {
  /** The checkpoint of a sync, or undefined before its first committed page. */
  getCheckpoint(syncId: string): Promise<CheckpointRecord | undefined>;
  /**
   * Saves a checkpoint (JSON-serialisable), replacing the previous one, and appends `audit` records
   * in the same transaction, so a committed page and its audit record are never separated.
   */
  setCheckpoint(syncId: string, checkpoint: unknown, audit?: readonly AuditEntry[]): Promise<void>;
  /** Forgets a checkpoint: the next run starts from the beginning. */
  deleteCheckpoint(syncId: string): Promise<void>;

  /**
   * Records `key` in `namespace` and says whether it was new, atomically: of two concurrent calls
   * with the same key exactly one gets `true`. With `ttlMs` the key is forgotten after that long.
   */
  markSeen(namespace: string, key: string, ttlMs?: number): Promise<boolean>;
  /** Removes expired dedupe keys; returns how many. */
  pruneSeen(now?: number): Promise<number>;

  /**
   * Adds items to the outbox in one transaction, with `audit` records in the same transaction (given
   * as a list, or as a function of the results so they can tell new items from duplicates). An id
   * already known is a duplicate, not an error (`created: false`).
   */
  enqueue(items: readonly OutboxEnqueue[], audit?: AuditInput<readonly EnqueueResult[]>): Promise<EnqueueResult[]>;
  /**
   * Leases up to `limit` due pending items. Per ordering key only the oldest pending item is ever
   * claimable, so items of one key are delivered in order; other keys are not held up.
   */
  claim(options: ClaimOptions): Promise<ClaimedItem[]>;
  /**
   * Marks a claimed item delivered (its payload is dropped). False when the lease was lost. The
   * `audit` arguments of these three are written in the same transaction, only on success.
   */
  complete(id: string, leaseToken: string, audit?: readonly AuditEntry[]): Promise<boolean>;
  /**
   * Records, durably and before the send, that an attempt of a claimed item is starting
   * (`attemptStartedAt`); `complete`, `fail` and `moveToDlq` clear it. An item claimed again with
   * the mark set was in flight when its worker died. False when the lease was lost (do not send).
   */
  beginAttempt(id: string, leaseToken: string): Promise<boolean>;
  /** Records a failed attempt and when to retry. False when the lease was lost. */
  fail(id: string, leaseToken: string, options: FailOptions, audit?: readonly AuditEntry[]): Promise<boolean>;
  /** Moves a claimed item to the dead-letter queue with its error. False when the lease was lost. */
  moveToDlq(id: string, leaseToken: string, error: SerializedHmiError, audit?: readonly AuditEntry[]): Promise<boolean>;
  /** Pending items, oldest first (leased ones included unless `dueBy` is given). */
  listPending(query?: PendingQuery): Promise<OutboxItem[]>;
  /** One item of the outbox or the dead-letter queue, by id. */
  getItem(id: string): Promise<OutboxItem | undefined>;
  /** Counts by status. */
  outboxStats(): Promise<OutboxStats>;
  /** Removes `done` items finished before `before` (their ids stop deduplicating); returns how many. */
  pruneDone(before: number): Promise<number>;

  /** Dead items, oldest first. */
  listDlq(query?: DlqQuery): Promise<OutboxItem[]>;
  /**
   * Puts a dead item back in the outbox, due now, with its attempts reset. Idempotent: replaying an
   * item that is not dead (already replayed, or unknown) changes nothing and returns false.
   */
  replayDlq(id: string, now?: number): Promise<boolean>;
  /** Deletes dead items (and their payloads); returns how many. */
  purgeDlq(filter?: DlqPurge): Promise<number>;

  /** Appends one audit record. */
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Appends several audit records in one transaction. */
  appendAudits(entries: readonly AuditEntry[]): Promise<void>;
  /** Reads the audit trail. */
  queryAudit(query?: AuditQuery): Promise<AuditRecord[]>;

  /** Releases the store (closes files). Further calls fail. */
  close(): Promise<void>;
}
