import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type LoopbackListener, listenOnLoopback } from '@hmi/testing';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSqliteStateStore } from '@hmi/store-sqlite';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOTAL = 10_000;
const PAGE = 100;
const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/sync-child.ts', import.meta.url));
const id = (i: number) => `p${String(i).padStart(5, '0')}`;
// Arabic names and Gulf/Egyptian numbers, as the hospitals' data looks.
const source = Array.from({ length: TOTAL }, (_, i) => ({
  id: id(i + 1),
  name: `${['عائشة', 'محمد', 'فاطمة', 'Omar'][i % 4]} ${i + 1}`,
  phone: `${['+9665', '+9715', '+2010'][i % 3]}${String(i).padStart(7, '0')}`,
}));

type Fault = 500 | 503 | 429 | 'reset';
// A fifth of the pages fail, each in its own way; some more often than the HTTP client's own
// three attempts, so runSync's page retry has to step in.
const PATTERNS: Fault[][] = [[500], [429, 'reset'], ['reset', 500, 429], [429, 'reset', 503, 500]];

describe('acceptance: 10,000 records, faulty source, SIGKILL mid-run, resume', () => {
  let dir: string;
  let server: LoopbackListener;
  let url: string;
  const faultsLeft = new Map<number, Fault[]>();
  const served = { faults: 0, pages: 0 };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hmi-sync-crash-'));
    for (let p = 0; p < TOTAL / PAGE; p++) if (p % 5 === 2) faultsLeft.set(p, [...PATTERNS[((p / 5) % 4) | 0]!]);
    server = await listenOnLoopback((req, res) => {
      const query = new URL(req.url ?? '/', 'http://x').searchParams;
      const after = query.get('after') ?? '';
      const start = after === '' ? 0 : source.findIndex((r) => r.id === after) + 1;
      const page = Math.floor(start / PAGE);
      const fault = faultsLeft.get(page)?.shift();
      if (fault !== undefined) {
        served.faults++;
        if (fault === 'reset') return void req.socket.destroy();
        res.writeHead(fault, { 'content-type': 'application/json', ...(fault === 429 && { 'retry-after': '0' }) });
        return void res.end('{"error":"try later"}');
      }
      served.pages++;
      const data = source.slice(start, start + PAGE);
      const next = start + PAGE < TOTAL ? data.at(-1)!.id : null;
      // A few ms per page, like a real EHR, so the run lasts long enough to be killed mid-way.
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data, next }));
      }, 3);
    });
    url = server.url;
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const storePath = () => join(dir, 'state.db');
  const destPath = () => join(dir, 'dest.db');

  /**
   * Runs the child; kills it with SIGKILL once it has committed `kill.afterPages` pages: either in
   * the middle of writing the next page (`at: 'mid-page'`) or a random few ms later (`at: 'random'`).
   */
  function runChild(kill?: { afterPages: number; at: 'mid-page' | 'random' }): Promise<{
    code: number | null;
    signal: string | null;
    out: string;
    err: string;
  }> {
    return new Promise((resolve, reject) => {
      const proc: ChildProcess = spawn(
        process.execPath,
        ['--conditions=@hmi/source', '--import', 'tsx', child, storePath(), destPath(), url],
        {
          cwd: pkgDir,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      let err = '';
      let pages = 0;
      let killing = false;
      proc.stdout!.on('data', (chunk: Buffer) => {
        out += chunk;
        pages = (out.match(/^page /gm) ?? []).length;
        if (!kill || killing || pages < kill.afterPages) return;
        if (kill.at === 'random') {
          killing = true;
          setTimeout(() => proc.kill('SIGKILL'), Math.random() * 30);
        } else if (/^mid /m.test(out.slice(out.lastIndexOf('page ')))) {
          killing = true;
          proc.kill('SIGKILL');
        }
      });
      proc.stderr!.on('data', (chunk: Buffer) => {
        err += chunk;
      });
      proc.on('error', reject);
      proc.on('exit', (code, signal) => resolve({ code, signal, out, err }));
    });
  }

  function destRows() {
    const db = new Database(destPath(), { readonly: true });
    try {
      const rows = db.prepare('SELECT id, name, phone FROM patients ORDER BY id').all() as typeof source;
      const writes = (db.prepare('SELECT COUNT(*) AS n FROM write_log').get() as { n: number }).n;
      return { rows, writes };
    } finally {
      db.close();
    }
  }

  async function checkpoint(): Promise<string | undefined> {
    const store = createSqliteStateStore({ path: storePath() });
    try {
      return ((await store.getCheckpoint('ehr-patients'))?.checkpoint as { after: string } | undefined)?.after;
    } finally {
      await store.close();
    }
  }

  it('ends with exactly the source records and the checkpoint at the last one', { timeout: 120_000 }, async () => {
    const kills = [
      { afterPages: 12, at: 'mid-page' },
      { afterPages: 20, at: 'random' },
      { afterPages: 17, at: 'mid-page' },
    ] as const;
    for (const kill of kills) {
      const run = await runChild(kill);
      expect(run.signal, run.err).toBe('SIGKILL');
      // Invariant after every crash: everything up to the saved checkpoint is in the destination.
      const cp = await checkpoint();
      const { rows } = destRows();
      expect(cp).toBeDefined();
      const committed = source.findIndex((r) => r.id === cp) + 1;
      expect(committed).toBeGreaterThan(0);
      expect(committed).toBeLessThan(TOTAL);
      const have = new Set(rows.map((r) => r.id));
      expect(source.slice(0, committed).every((r) => have.has(r.id))).toBe(true);
    }
    const final = await runChild();
    expect(final.code, final.err).toBe(0);
    expect(final.out).toMatch(/^done \d+ \d+$/m);

    const { rows, writes } = destRows();
    expect(rows.length).toBe(TOTAL);
    expect(rows).toEqual(source);
    expect(await checkpoint()).toBe(id(TOTAL));
    // Pages half written at a kill were written again after resume; the upserts absorbed them.
    expect(writes).toBeGreaterThan(TOTAL);
    expect(served.faults).toBeGreaterThanOrEqual(20);
    expect([...faultsLeft.values()].every((f) => f.length === 0)).toBe(true);
    console.info(`sync crash test: ${writes - TOTAL} replayed writes absorbed, ${served.faults} faults served`);
  });
});
