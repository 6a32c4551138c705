import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '@hmi/core';
import { createMemoryStateStore, type StateStore } from '@hmi/flow';
import { createSqliteStateStore } from '@hmi/store-sqlite';
import { type LoadedConfig, loadConfig } from '../config/load-config.js';
import type { OutputStream } from '../output/table.js';

/** Exit codes: 0 ok, 1 a failure (a sync failed, an item was not found), 2 usage or config error. */
export const EXIT = Object.freeze({ ok: 0, failure: 1, usage: 2 } as const);

/** What a command runs with: streams, environment and a stop signal (tests pass their own). */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Where `env:` references are looked up. */
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths on the command line resolve against it. */
  cwd: string;
  /** Stops `hmi run` (without `--once`); SIGINT/SIGTERM in the real binary. */
  signal?: AbortSignal;
}

/** A mistake on the command line (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Options every state-reading command takes. */
export interface StateFlags {
  state?: string;
  config?: string;
}

/**
 * Opens the state store a read command works on: `--state <sqlite>`, or the `state.path` of
 * `--config <file>`. A missing file is a usage error rather than a new, empty database.
 */
export async function openStateForRead(io: CliIo, flags: StateFlags): Promise<{ store: StateStore; loaded?: LoadedConfig }> {
  const loaded = flags.config ? await loadConfig(resolve(io.cwd, flags.config)) : undefined;
  const path = flags.state
    ? resolve(io.cwd, flags.state)
    : loaded?.config.state
      ? resolve(loaded.baseDir, loaded.config.state.path)
      : undefined;
  if (!path) throw new UsageError('give the state store: --state <sqlite file> (or --config <file> with state.path)');
  if (!existsSync(path)) throw new UsageError(`state file not found: ${flags.state ?? path}`);
  return { store: createSqliteStateStore({ path }), loaded };
}

/**
 * Opens the store `hmi run` writes to: `--state`, else the config's `state.path` (created when
 * missing), else an in-memory store with a warning (checkpoints are lost at exit).
 */
export function openStateForRun(
  io: CliIo,
  loaded: LoadedConfig,
  state: string | undefined,
): { store: StateStore; persistent: boolean } {
  const path = state
    ? resolve(io.cwd, state)
    : loaded.config.state
      ? resolve(loaded.baseDir, loaded.config.state.path)
      : undefined;
  if (!path) {
    io.stderr.write('warning: no --state and no state.path in the config: checkpoints and audit are kept in memory only\n');
    return { store: createMemoryStateStore(), persistent: false };
  }
  // A new deployment's state folder (./state/hmi.sqlite) is created, as the file itself is.
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new ConfigError(
      `cannot create the state file's directory ${dirname(path)} (${(error as { code?: string }).code ?? 'error'})`,
    );
  }
  return { store: createSqliteStateStore({ path }), persistent: true };
}

/** Parses `--since`/`--until`: an ISO date-time, or a duration ago such as `24h`, `7d`, `90m`. */
export function parseTime(value: string, flag: string, now = Date.now()): number {
  const ago = /^(\d+)(ms|s|m|h|d|w)$/.exec(value.trim());
  if (ago) {
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[ago[2] as 'ms'];
    return now - Number(ago[1]) * unit;
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UsageError(`${flag} must be an ISO date-time or a duration ago such as 24h or 7d`);
  return t;
}

/** Parses a positive integer flag. */
export function parsePositiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer`);
  return n;
}
