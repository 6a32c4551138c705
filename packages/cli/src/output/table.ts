/** Where the CLI writes: `process.stdout` / `process.stderr` fit, and tests pass buffers. */
export interface OutputStream {
  /** Writes text to the terminal or stream. */
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Display width of a string: combining marks and zero-width characters take no column. */
function width(text: string): number {
  let w = 0;
  for (const ch of text) if (!/[\u0300-\u036F\u200B-\u200F\u064B-\u065F]/.test(ch)) w++;
  return w;
}

/** Cuts a cell to `max` columns with an ellipsis. */
function fit(text: string, max: number): string {
  if (width(text) <= max) return text;
  return `${[...text].slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Renders rows as an aligned text table with a header and a rule, cells cut to `maxCell` columns.
 * Numbers are right-aligned. No colours, so it reads the same in a log file.
 */
export function renderTable(
  headers: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  maxCell = 48,
): string {
  const cells = rows.map((row) => row.map((c) => fit(String(c), maxCell)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const widths = headers.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i] ?? ''))));
  const line = (row: readonly string[]) =>
    row
      .map((c, i) => {
        const pad = ' '.repeat(Math.max(0, widths[i]! - width(c)));
        return numeric[i] ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  return `${[line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')}\n`;
}

/** `2025-01-01 08:30:00Z`: ISO without the T and milliseconds, easy to scan in a column. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** `1.2s`, `340ms`, `2m05s`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}
