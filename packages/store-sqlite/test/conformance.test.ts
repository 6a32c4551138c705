import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStateStoreConformance } from '@hmi/flow/testing';
import { createSqliteStateStore } from '@hmi/store-sqlite';
import { afterAll, describe, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'hmi-sqlite-conformance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runStateStoreConformance('sqlite (file)', {
  create: (now) => createSqliteStateStore({ path: join(dir, `store-${++n}.db`), now }),
  reopen: (closed, now) => createSqliteStateStore({ path: closed.path, now }),
  test: it,
  describe,
});

runStateStoreConformance('sqlite (:memory:)', {
  create: (now) => createSqliteStateStore({ path: ':memory:', now }),
  test: it,
  describe,
});
