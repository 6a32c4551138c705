/**
 * `@hmi/store-postgres`: the `StateStore` of `@hmi/flow` on PostgreSQL (node-postgres), for hmi on
 * several machines: sync checkpoints, dedupe keys, the outbox (leases claimed with
 * `FOR UPDATE SKIP LOCKED`, per-key ordering across workers), the dead-letter queue and the audit
 * trail, in one schema migrated on start under an advisory lock.
 * @packageDocumentation
 */
export {
  createPostgresStateStore,
  type PostgresStateStore,
  type PostgresStateStoreOptions,
} from './postgres-state-store.js';
export { SCHEMA_VERSION } from './migrations.js';
