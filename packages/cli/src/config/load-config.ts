import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '@hmi/core';
import { isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { type ConfigIssue, configIssuesOf } from './issues.js';
import { parseYaml } from './parse-yaml.js';
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
 * Never throws for any text: a file too large, nested too deep, or with aliases that are missing
 * or expand too much is an issue with a line and a column like any other.
 */
export function validateConfigText(text: string, options: ValidateConfigOptions = {}): Promise<ConfigValidation> {
  return validateParsed(text, options, []);
}

/**
 * {@link validateConfigText}, adding `found`: issues other checks report while it runs (a
 * connector module that does not load, pushed by `secretKeysOf`), positioned from the same parse.
 * @internal
 */
export async function validateParsed(
  text: string,
  options: ValidateConfigOptions,
  found: ConfigIssue[],
): Promise<ConfigValidation> {
  const parsed = parseYaml(typeof text === 'string' ? text : String(text));
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  const { doc, data, lineCounter } = parsed;
  const result = HmiConfigSchema.safeParse(data, { reportInput: true });
  const issues: ConfigIssue[] = result.success ? [] : configIssuesOf(result.error);
  issues.push(...(await checkSecrets(data, options.secretKeysOf)), ...found);
  if (issues.length === 0 && result.success) return { ok: true, config: result.data };
  for (const issue of issues) Object.assign(issue, position(doc.contents, issue.path, lineCounter));
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { ok: false, issues };
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
      issues: result.issues.map((i) => ({
        path: i.path,
        code: 'config',
        message: i.message,
        ...(i.line !== undefined && { line: i.line, column: i.column ?? 1 }),
      })),
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
