import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '@hmi/core';
import { createMemoryStateStore, type StateStore } from '@hmi/flow';
import { createSqliteStateStore } from '@hmi/store-sqlite';
import { type LoadedConfig, loadConfig } from '../config/load-config.js';
import { ENV_REF } from '../config/schema.js';
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

/** The state store a command opens: a SQLite file, or a PostgreSQL database. */
export type StateSpec = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema: string | undefined };

/** Resolves `env:NAME` against the CLI's environment (a missing variable is a ConfigError naming it). */
export function resolveRef(io: CliIo, value: string, where: string): string {
  const ref = ENV_REF.exec(value);
  if (!ref) return value;
  const resolved = io.env[ref[1]!];
  if (resolved === undefined || resolved === '') throw new ConfigError(`${where}: environment variable ${ref[1]} is not set`);
  return resolved;
}

/** `--state <sqlite>` wins; else the config's `state` (a `path` or `postgres`); else undefined. */
export function stateSpecOf(io: CliIo, loaded: LoadedConfig | undefined, flag: string | undefined): StateSpec | undefined {
  if (flag) return { kind: 'sqlite', path: resolve(io.cwd, flag) };
  const state = loaded?.config.state;
  if (!state || !loaded) return undefined;
  if ('path' in state) return { kind: 'sqlite', path: resolve(loaded.baseDir, state.path) };
  return { kind: 'postgres', url: resolveRef(io, state.postgres, 'state.postgres'), schema: state.schema };
}

/** Opens a PostgreSQL store (loaded on demand: `pg` is only needed by those who use it). */
export async function openPostgres(spec: Extract<StateSpec, { kind: 'postgres' }>): Promise<StateStore> {
  const { createPostgresStateStore } = await import('@hmi/store-postgres');
  const store = createPostgresStateStore({ connectionString: spec.url, ...(spec.schema && { schema: spec.schema }) });
  await store.ready();
  return store;
}

/**
 * Opens the state store a read command works on: `--state <sqlite>`, or the `state` of
 * `--config <file>`. A missing SQLite file is a usage error rather than a new, empty database.
 */
export async function openStateForRead(io: CliIo, flags: StateFlags): Promise<{ store: StateStore; loaded?: LoadedConfig }> {
  const loaded = flags.config ? await loadConfig(resolve(io.cwd, flags.config)) : undefined;
  const spec = stateSpecOf(io, loaded, flags.state);
  if (!spec) throw new UsageError('give the state store: --state <sqlite file> (or --config <file> with state)');
  if (spec.kind === 'postgres') return { store: await openPostgres(spec), loaded };
  if (!existsSync(spec.path)) throw new UsageError(`state file not found: ${flags.state ?? spec.path}`);
  return { store: createSqliteStateStore({ path: spec.path }), loaded };
}

/**
 * Opens the store `hmi run` and `hmi worker` write to: `--state`, else the config's `state` (a
 * SQLite file is created when missing), else an in-memory store with a warning (checkpoints are
 * lost at exit).
 */
export async function openStateForRun(
  io: CliIo,
  loaded: LoadedConfig,
  state: string | undefined,
): Promise<{ store: StateStore; persistent: boolean }> {
  const spec = stateSpecOf(io, loaded, state);
  if (!spec) {
    io.stderr.write('warning: no --state and no state.path in the config: checkpoints and audit are kept in memory only\n');
    return { store: createMemoryStateStore(), persistent: false };
  }
  if (spec.kind === 'postgres') return { store: await openPostgres(spec), persistent: true };
  // A new deployment's state folder (./state/hmi.sqlite) is created, as the file itself is.
  try {
    mkdirSync(dirname(spec.path), { recursive: true });
  } catch (error) {
    throw new ConfigError(
      `cannot create the state file's directory ${dirname(spec.path)} (${(error as { code?: string }).code ?? 'error'})`,
    );
  }
  return { store: createSqliteStateStore({ path: spec.path }), persistent: true };
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
