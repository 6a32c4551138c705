/**
 * `@hmi/store-sqlite`: the embedded, restart-proof `StateStore` of `@hmi/flow`, on SQLite
 * (better-sqlite3, WAL). Kept apart from `@hmi/flow` because better-sqlite3 is a native module.
 * @packageDocumentation
 */
export { createSqliteStateStore, type SqliteStateStore, type SqliteStateStoreOptions } from './sqlite-state-store.js';
export { SCHEMA_VERSION } from './schema.js';
