import { resolve } from 'node:path';
import { isHmiError } from '@hmi/core';
import { attachProgressBar, runSync, type StateStore, type SyncResult, type SyncSchedule, scheduleSync } from '@hmi/flow';
import { loadConfig } from '../config/load-config.js';
import { formatDuration, formatTime, renderTable } from '../output/table.js';
import { type PreparedPoint, prepareRun } from '../run/prepare.js';
import { type CliIo, EXIT, openStateForRun } from './context.js';

/** Flags of `hmi run`. */
export interface RunFlags {
  state?: string;
  once: boolean;
  points: string[];
  json: boolean;
}

/** One point's outcome in the summary. */
interface Outcome {
  point: string;
  ok: boolean;
  runs: number;
  pages: number;
  records: number;
  written: number;
  skipped: number;
  durationMs: number;
  errorCode?: string;
}

/** An error's code: an HmiError's, else a system code such as ECONNREFUSED, else internal_error. */
function errorCodeOf(error: unknown): string {
  if (isHmiError(error)) return error.code;
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : 'internal_error';
}

/**
 * `hmi run <file>`: runs the integration points through `runSync`, with a progress bar per point
 * on stderr and a summary on stdout. `--once` runs each point once and exits (1 when any failed);
 * otherwise scheduled points run on their schedule (points without one run once) until SIGINT or
 * SIGTERM, printing a line per run.
 */
export async function runCommand(io: CliIo, file: string, flags: RunFlags): Promise<number> {
  const loaded = await loadConfig(resolve(io.cwd, file));
  const prepared = await prepareRun(loaded, { env: io.env, points: flags.points });
  const { store } = await openStateForRun(io, loaded, flags.state);
  try {
    return flags.once ? await runOnce(io, prepared.points, store, flags) : await runScheduled(io, prepared.points, store, flags);
  } finally {
    await store.close();
  }
}

async function runOnce(io: CliIo, points: PreparedPoint[], store: StateStore, flags: RunFlags): Promise<number> {
  const outcomes: Outcome[] = [];
  for (const point of points) {
    const telemetry = point.sync.telemetry!;
    const detach = attachProgressBar(telemetry, { stream: io.stderr, syncId: point.config.id, label: point.config.id });
    const started = performance.now();
    try {
      const result = await runSync({ ...point.sync, state: store, trigger: 'manual', ...(io.signal && { signal: io.signal }) });
      outcomes.push(outcomeOf(point.config.id, result));
    } catch (error) {
      io.stderr.write(`${point.config.id}: ${describeFailure(error)}\n`);
      // A failed run took time too: the table shows it, as the audit does.
      const durationMs = performance.now() - started;
      outcomes.push({
        ...emptyOutcome(point.config.id),
        ok: false,
        runs: 1,
        durationMs,
        errorCode: errorCodeOf(error),
        ...partial(error),
      });
    } finally {
      detach();
    }
    if (io.signal?.aborted) break;
  }
  printSummary(io, outcomes, flags.json);
  return outcomes.every((o) => o.ok) && outcomes.length === points.length ? EXIT.ok : EXIT.failure;
}

async function runScheduled(io: CliIo, points: PreparedPoint[], store: StateStore, flags: RunFlags): Promise<number> {
  const totals = new Map(points.map((p) => [p.config.id, emptyOutcome(p.config.id)]));
  const record = (id: string, result: SyncResult | undefined, error?: unknown) => {
    const t = totals.get(id)!;
    t.runs++;
    if (result) {
      t.pages += result.pages;
      t.records += result.records;
      t.written += result.written;
      t.skipped += result.skipped;
      t.durationMs += result.durationMs;
    } else {
      t.ok = false;
      t.errorCode = errorCodeOf(error);
      io.stderr.write(`${id}: ${describeFailure(error)}\n`);
    }
    const line = result
      ? `${formatTime(Date.now())} ${id}: ok, ${result.records} read, ${result.written} written, ${result.skipped} skipped in ${formatDuration(result.durationMs)}`
      : `${formatTime(Date.now())} ${id}: failed (${errorCodeOf(error)})`;
    if (!flags.json) io.stdout.write(`${line}\n`);
  };
  const stopper = new AbortController();
  const signal = io.signal ? AbortSignal.any([io.signal, stopper.signal]) : stopper.signal;
  const schedules: SyncSchedule[] = [];
  const oneShots: Promise<unknown>[] = [];
  const detachers = points.map((p) =>
    attachProgressBar(p.sync.telemetry!, { stream: io.stderr, syncId: p.config.id, label: p.config.id }),
  );
  for (const point of points) {
    if (point.schedule) {
      schedules.push(
        scheduleSync({
          ...point.sync,
          ...point.schedule,
          state: store,
          runOnStart: true,
          onResult: (r) => record(point.config.id, r),
          onError: (e) => record(point.config.id, undefined, e),
        } as Parameters<typeof scheduleSync>[0]),
      );
    } else {
      oneShots.push(
        runSync({ ...point.sync, state: store, trigger: 'manual', signal }).then(
          (r) => record(point.config.id, r),
          (e) => record(point.config.id, undefined, e),
        ),
      );
    }
  }
  if (schedules.length === 0) {
    await Promise.all(oneShots);
  } else {
    if (!flags.json) io.stderr.write(`running ${schedules.length} scheduled point(s); Ctrl-C to stop\n`);
    await new Promise<void>((done) => {
      if (signal.aborted) return done();
      signal.addEventListener('abort', () => done(), { once: true });
    });
    stopper.abort();
    await Promise.all(schedules.map((s) => s.stop({ abort: true })));
    await Promise.all(oneShots);
  }
  for (const detach of detachers) detach();
  printSummary(io, [...totals.values()], flags.json);
  return EXIT.ok;
}

/**
 * What went wrong, down the cause chain: an HmiError's message (free of values by contract), and
 * for a foreign error its class, system code and the host it was talking to (network metadata,
 * never a path or query) — so "patients failed" says "ECONNREFUSED to ehr.example:443".
 */
export function describeFailure(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    parts.push(isHmiError(current) ? current.message : describeForeign(current));
    current = (current as { cause?: unknown }).cause;
  }
  const text = parts.join(': ');
  return isHmiError(error) ? text : `failed (${text})`;
}

function describeForeign(error: unknown): string {
  const e = error as { name?: unknown; code?: unknown; hostname?: unknown; host?: unknown; address?: unknown; port?: unknown };
  const name = typeof e?.name === 'string' ? e.name : typeof error;
  const code = typeof e?.code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(e.code) ? ` ${e.code}` : '';
  const hostValue = [e?.hostname, e?.host, e?.address].find((h) => typeof h === 'string' && /^[A-Za-z0-9.:[\]-]{1,255}$/.test(h));
  const host = hostValue ? ` to ${hostValue}${typeof e?.port === 'number' ? `:${e.port}` : ''}` : '';
  return `${name}${code}${host}`;
}

function emptyOutcome(point: string): Outcome {
  return { point, ok: true, runs: 0, pages: 0, records: 0, written: 0, skipped: 0, durationMs: 0 };
}

function outcomeOf(point: string, r: SyncResult): Outcome {
  return {
    point,
    ok: true,
    runs: 1,
    pages: r.pages,
    records: r.records,
    written: r.written,
    skipped: r.skipped,
    durationMs: r.durationMs,
  };
}

/** What a failed run had committed before it failed (a SyncError says). */
function partial(error: unknown): Partial<Outcome> {
  const e = error as { pagesCommitted?: unknown; recordsWritten?: unknown };
  return {
    ...(typeof e?.pagesCommitted === 'number' && { pages: e.pagesCommitted }),
    ...(typeof e?.recordsWritten === 'number' && { written: e.recordsWritten }),
  };
}

function printSummary(io: CliIo, outcomes: Outcome[], json: boolean): void {
  if (json) {
    io.stdout.write(`${JSON.stringify({ points: outcomes }, null, 2)}\n`);
    return;
  }
  io.stdout.write(
    renderTable(
      ['POINT', 'STATUS', 'RUNS', 'PAGES', 'READ', 'WRITTEN', 'SKIPPED', 'TIME', 'ERROR'],
      outcomes.map((o) => [
        o.point,
        o.ok ? 'ok' : 'failed',
        o.runs,
        o.pages,
        o.records,
        o.written,
        o.skipped,
        formatDuration(o.durationMs),
        o.errorCode ?? '',
      ]),
    ),
  );
}
