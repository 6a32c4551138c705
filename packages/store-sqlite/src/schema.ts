/** The schema version this code writes; stored in `PRAGMA user_version`. */
export const SCHEMA_VERSION = 2;

/** Tables of the hmi state store. Prefixed so they can share a database with the host's tables. */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS hmi_checkpoints (
  sync_id    TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS hmi_seen (
  namespace  TEXT NOT NULL,
  key        TEXT NOT NULL,
  expires_at INTEGER,
  PRIMARY KEY (namespace, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hmi_outbox (
  seq               INTEGER PRIMARY KEY AUTOINCREMENT,
  id                TEXT NOT NULL UNIQUE,
  topic             TEXT NOT NULL,
  payload           TEXT,
  ordering_key      TEXT,
  integration_point TEXT,
  connector         TEXT,
  status            TEXT NOT NULL CHECK (status IN ('pending', 'done', 'dead')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  available_at      INTEGER NOT NULL,
  lease_token       TEXT,
  lease_until       INTEGER,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  last_error        TEXT,
  dead_at           INTEGER,
  replays           INTEGER NOT NULL DEFAULT 0,
  attempt_started_at INTEGER
);
CREATE INDEX IF NOT EXISTS hmi_outbox_due ON hmi_outbox (status, available_at, seq);
CREATE INDEX IF NOT EXISTS hmi_outbox_key ON hmi_outbox (ordering_key, status, seq) WHERE ordering_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS hmi_outbox_dead ON hmi_outbox (status, dead_at) WHERE status = 'dead';
CREATE TABLE IF NOT EXISTS hmi_audit (
  seq               INTEGER PRIMARY KEY AUTOINCREMENT,
  at                INTEGER NOT NULL,
  integration_point TEXT NOT NULL,
  connector         TEXT,
  operation         TEXT NOT NULL,
  record_ids        TEXT NOT NULL,
  outcome           TEXT NOT NULL,
  trigger           TEXT NOT NULL,
  error_code        TEXT,
  duration_ms       INTEGER,
  correlation_id    TEXT
);
CREATE INDEX IF NOT EXISTS hmi_audit_at ON hmi_audit (at);
CREATE INDEX IF NOT EXISTS hmi_audit_point ON hmi_audit (integration_point, at);
`;

/**
 * Steps from an older schema: version N's statements bring a file from N - 1 to N. A file created
 * at the current version gets the full {@link SCHEMA} and skips them.
 */
export const MIGRATIONS: Readonly<Record<number, string>> = {
  // 2: the durable "attempt in flight" mark that makes a crash mid-send detectable (in-doubt items).
  2: 'ALTER TABLE hmi_outbox ADD COLUMN attempt_started_at INTEGER;',
};
