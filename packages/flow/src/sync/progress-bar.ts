import type { Telemetry } from '@hmi/core';

/** Where a progress bar is drawn: `process.stderr` fits. */
export interface ProgressStream {
  /** Writes text to the stream. */
  write(text: string): unknown;
  /** Only a TTY gets the live bar; other streams get one summary line at the end. */
  isTTY?: boolean;
  columns?: number;
}

/** Options of {@link attachProgressBar}. */
export interface ProgressBarOptions {
  /** Default `process.stderr`. */
  stream?: ProgressStream;
  /** Records expected, when known; without it the bar shows a count and a rate. */
  total?: number;
  /** Only this sync's events; all syncs by default. */
  syncId?: string;
  /** Text before the bar; the sync id by default. */
  label?: string;
  /** Bar width in characters. Default 30. */
  width?: number;
}

/** The state a progress line shows. */
export interface ProgressState {
  label: string;
  done: number;
  total?: number;
  elapsedMs: number;
  width?: number;
}

/** Renders one progress line, `label [#####-----]  50.0% 5000/10000 1234 rec/s`. Pure, for tests and custom UIs. */
export function renderProgressLine(state: ProgressState): string {
  const rate = state.elapsedMs > 0 ? Math.round((state.done * 1000) / state.elapsedMs) : 0;
  const width = state.width ?? 30;
  if (state.total === undefined || state.total <= 0) return `${state.label} ${state.done} records ${rate} rec/s`;
  const ratio = Math.min(1, state.done / state.total);
  const filled = Math.round(ratio * width);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  return `${state.label} [${bar}] ${(ratio * 100).toFixed(1).padStart(5)}% ${state.done}/${state.total} ${rate} rec/s`;
}

/**
 * Draws a progress bar for sync runs from telemetry (`sync:page`, `sync:end`) on a TTY, without a
 * dependency. Returns a function that detaches it.
 */
export function attachProgressBar(telemetry: Telemetry, options: ProgressBarOptions = {}): () => void {
  const stream: ProgressStream = options.stream ?? process.stderr;
  const started = Date.now();
  let done = 0;
  const line = (label: string) =>
    renderProgressLine({ label, done, total: options.total, elapsedMs: Date.now() - started, width: options.width });
  const offPage = telemetry.on('sync:page', (e) => {
    if (options.syncId !== undefined && e.syncId !== options.syncId) return;
    done = e.totalRecords;
    if (stream.isTTY) stream.write(`\r${line(options.label ?? e.syncId)}\u001b[K`);
  });
  const offEnd = telemetry.on('sync:end', (e) => {
    if (options.syncId !== undefined && e.syncId !== options.syncId) return;
    const status = e.ok ? 'done' : `failed (${e.errorCode ?? 'error'})`;
    stream.write(`${stream.isTTY ? '\r' : ''}${line(options.label ?? e.syncId)} ${status}${stream.isTTY ? '\u001b[K' : ''}\n`);
  });
  return () => {
    offPage();
    offEnd();
  };
}
