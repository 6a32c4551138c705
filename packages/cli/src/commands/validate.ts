import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isHmiError } from '@hmi/core';
import { formatConfigIssues, validateParsed } from '../config/load-config.js';
import type { ConfigIssue } from '../config/issues.js';
import { checkConnectorBlock } from '../connectors/check-config.js';
import { loadConnectorModule } from '../connectors/registry.js';
import { type CliIo, EXIT } from './context.js';

/** The outcome of validating a file. */
export interface FileValidation {
  ok: boolean;
  issues: ConfigIssue[];
  points: number;
  connectors: number;
}

/**
 * Validates a config file as `hmi validate` does: syntax and schema (issues with line and column),
 * secrets written inline, and whether each connector module loads (its `secret()` marks then
 * count too). Environment variables are not needed: `env:` references are only resolved by `run`.
 */
export async function validateConfigFile(file: string): Promise<FileValidation> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return {
      ok: false,
      issues: [{ path: [], message: `cannot read the file (${(error as { code?: string }).code ?? 'EIO'})` }],
      points: 0,
      connectors: 0,
    };
  }
  const baseDir = dirname(resolve(file));
  const loadIssues: ConfigIssue[] = [];
  const result = await validateParsed(
    text,
    {
      secretKeysOf: async (name, spec) => {
        try {
          const mod = await loadConnectorModule(spec, baseDir);
          // The connector's own schema decides its block, as its create() will at `hmi run`.
          if (mod.configSchema) loadIssues.push(...checkConnectorBlock(name, mod.configSchema, spec.config ?? {}));
          return mod.secretKeys;
        } catch (error) {
          const message = isHmiError(error) ? error.message : 'the connector module failed to load';
          loadIssues.push({ path: ['connectors', name, spec.use !== undefined ? 'use' : 'package'], message });
          return undefined;
        }
      },
    },
    loadIssues,
  );
  const issues = result.ok ? [] : result.issues;
  const config = result.ok ? result.config : undefined;
  return {
    ok: issues.length === 0,
    issues,
    points: config?.points.length ?? 0,
    connectors: config ? Object.keys(config.connectors).length : 0,
  };
}

/** `hmi validate <file> [--json]`. */
export async function validateCommand(io: CliIo, file: string, json: boolean): Promise<number> {
  const path = resolve(io.cwd, file);
  const result = await validateConfigFile(path);
  if (json) {
    io.stdout.write(`${JSON.stringify({ ok: result.ok, issues: result.issues }, null, 2)}\n`);
  } else if (result.ok) {
    io.stdout.write(`${file}: valid (${result.points} integration point(s), ${result.connectors} connector(s))\n`);
  } else {
    io.stderr.write(`${formatConfigIssues(file, result.issues)}\n${result.issues.length} problem(s) in ${file}\n`);
  }
  return result.ok ? EXIT.ok : EXIT.usage;
}
