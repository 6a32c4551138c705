// Console output: progress lines while scenes run and the summary table at the end.
//
// Patient data here is Arabic (right-to-left) mixed with Latin labels, phone numbers and ids. A
// terminal that applies the Unicode bidi algorithm would reorder the neutral characters around
// them ("+966…" can jump to the wrong side of an Arabic name), so Arabic values are wrapped in a
// first-strong isolate (FSI…PDI) and numbers in a left-to-right isolate (LRI…PDI). Terminals
// that ignore bidi show the isolates as nothing.

const FSI = '\u2068';
const LRI = '\u2066';
const PDI = '\u2069';
const ISOLATES = /[\u2066-\u2069\u200e\u200f]/g;

/** Wraps right-to-left (or unknown-direction) text so it cannot reorder the line around it. */
export function rtl(text: string): string {
  return `${FSI}${text}${PDI}`;
}

/** Wraps a left-to-right value (a phone number, an id) for lines that also hold Arabic. */
export function ltr(text: string): string {
  return `${LRI}${text}${PDI}`;
}

/** Display width of a line: isolates and direction marks take no column. */
export function displayWidth(text: string): number {
  return [...text.replace(ISOLATES, '')].length;
}

/** How a scene reports progress. */
export interface Reporter {
  /** Starts scene `index` of `total`. */
  scene(index: number, total: number, title: string): void;
  /** Something is being done. */
  step(text: string): void;
  /** Something turned out as expected. */
  ok(text: string): void;
  /** Something was refused or failed, as the scene intends or not. */
  bad(text: string): void;
  /** A free line (alerts, notes). */
  note(text: string): void;
  /** Every line written so far (also in quiet mode). */
  readonly lines: readonly string[];
}

/** A reporter that prints to stdout unless `quiet`, and keeps every line. */
export function createReporter(options: { quiet?: boolean; now?: () => number } = {}): Reporter {
  const lines: string[] = [];
  const now = options.now ?? (() => performance.now());
  let sceneStarted = now();
  const write = (line: string) => {
    lines.push(line);
    if (!options.quiet) process.stdout.write(`${line}\n`);
  };
  const elapsed = () => `${String(Math.round(now() - sceneStarted)).padStart(5)} ms`;
  return {
    lines,
    scene(index, total, title) {
      sceneStarted = now();
      write('');
      write(`[${index}/${total}] ${title}`);
    },
    step: (text) => write(`  ${elapsed()}  → ${text}`),
    ok: (text) => write(`  ${elapsed()}  ✓ ${text}`),
    bad: (text) => write(`  ${elapsed()}  ✗ ${text}`),
    note: (text) => write(`  ${elapsed()}    ${text}`),
  };
}

/** One row of the summary. */
export interface SummaryRow {
  scene: string;
  ok: boolean;
  figures: readonly string[];
  durationMs: number;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** The summary table: one row per scene, figures one per line. */
export function formatSummaryTable(rows: readonly SummaryRow[]): string {
  const header = ['Scene', 'Result', 'Figures', 'Duration'];
  const cells = rows.map((row) => [
    [row.scene],
    [row.ok ? 'PASS' : 'FAIL'],
    row.figures.length > 0 ? [...row.figures] : ['—'],
    [`${(row.durationMs / 1000).toFixed(2)} s`],
  ]);
  const widths = header.map((h, col) => Math.max(displayWidth(h), ...cells.flatMap((c) => c[col]!.map(displayWidth))));
  const rule = (l: string, m: string, r: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  const line = (parts: readonly string[]) => `│ ${parts.map((p, i) => pad(p, widths[i]!)).join(' │ ')} │`;
  const out = [rule('┌', '┬', '┐'), line(header), rule('├', '┼', '┤')];
  cells.forEach((row, index) => {
    const height = Math.max(...row.map((c) => c.length));
    for (let i = 0; i < height; i++) out.push(line(row.map((c) => c[i] ?? '')));
    if (index < cells.length - 1) out.push(rule('├', '┼', '┤'));
  });
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
}
