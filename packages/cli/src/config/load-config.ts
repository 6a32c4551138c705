import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '@hmi/core';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { type ConfigIssue, configIssuesOf } from './issues.js';
import { type HmiConfig, HmiConfigSchema } from './schema.js';
import { checkSecrets, type SecretKeysOf } from './secrets.js';

/** A config file read and validated, with where it lives. */
export interface LoadedConfig {
  config: HmiConfig;
  /** The file path, resolved. */
  path: string;
  /** The directory relative paths in the config are resolved against. */
  baseDir: string;
}

/** The outcome of {@link validateConfigText}: the config, or issues with line and column. */
export type ConfigValidation = { ok: true; config: HmiConfig } | { ok: false; issues: ConfigIssue[] };

/** Options of {@link validateConfigText} and {@link loadConfig}. */
export interface ValidateConfigOptions {
  /**
   * Names of the secret-marked config keys of a connector entry (from its definition's
   * `secret()` marks), to refuse literal values there; the name-based check always runs.
   */
  secretKeysOf?: SecretKeysOf;
}

/**
 * Parses YAML or JSON (YAML 1.2 reads JSON) and validates it, mapping every issue to the line and
 * column of the offending node: the value when it exists, else the key, else the nearest parent.
 */
export async function validateConfigText(text: string, options: ValidateConfigOptions = {}): Promise<ConfigValidation> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { path: [], message: `YAML: ${e.code.toLowerCase().replace(/_/g, ' ')}`, line: pos.line, column: pos.col };
      }),
    };
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const parsed = HmiConfigSchema.safeParse(data, { reportInput: true });
  const issues: ConfigIssue[] = parsed.success ? [] : configIssuesOf(parsed.error);
  issues.push(...(await checkSecrets(data, options.secretKeysOf)));
  if (issues.length === 0 && parsed.success) return { ok: true, config: parsed.data };
  for (const issue of issues) Object.assign(issue, position(doc.contents, issue.path, lineCounter));
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { ok: false, issues };
}

/**
 * Gives issues found outside the parser (a connector module that does not load, say) the line and
 * column of their path in `text`.
 */
export function locateIssues(text: string, issues: ConfigIssue[]): ConfigIssue[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  for (const issue of issues) Object.assign(issue, position(doc.contents, issue.path, lineCounter));
  return issues;
}

/** Reads and validates a config file; a ConfigError lists the issues as `file:line:col: path: message`. */
export async function loadConfig(file: string, options: ValidateConfigOptions = {}): Promise<LoadedConfig> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'EIO';
    throw new ConfigError(`cannot read config file ${file} (${code})`, { code: 'config_error' });
  }
  const result = await validateConfigText(text, options);
  if (!result.ok) {
    throw new ConfigError(`invalid config ${file}:\n${formatConfigIssues(file, result.issues)}`, {
      issues: result.issues.map((i) => ({ path: i.path, code: 'config', message: i.message })),
    });
  }
  return { config: result.config, path, baseDir: dirname(path) };
}

/** Formats issues one per line, `file:line:col: path: message`, as compilers do (editors link them). */
export function formatConfigIssues(file: string, issues: readonly ConfigIssue[]): string {
  return issues
    .map((i) => {
      const where = i.line === undefined ? file : `${file}:${i.line}:${i.column ?? 1}`;
      return `${where}: ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`;
    })
    .join('\n');
}

/** The line and column of the node at `path`, or of the deepest node on the way there. */
function position(root: unknown, path: ReadonlyArray<string | number>, lc: LineCounter): { line?: number; column?: number } {
  let node = root as Node | null | undefined;
  let offset: number | undefined = rangeStart(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const value = pair.value as Node | null;
      // A null value (`every:` with nothing after) has no range of its own: point at the key.
      offset = rangeStart(value) ?? rangeStart(pair.key as Node) ?? offset;
      node = value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else break;
  }
  if (offset === undefined) return {};
  const pos = lc.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function rangeStart(node: Node | null | undefined): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? range[0] : undefined;
}
