import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@hmi/core';

/** The environment variable that points hmi's tests at a `shared/specs` folder elsewhere. */
export const SPECS_DIR_ENV = 'HMI_SPECS_DIR';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function toPath(from: string | URL): string {
  if (from instanceof URL) return fileURLToPath(from);
  if (from.startsWith('file:')) return fileURLToPath(from);
  return resolve(from);
}

/**
 * Locates the vendors' specs folder (`shared/specs`) that hmi's contract tests read at test time.
 *
 * `HMI_SPECS_DIR` wins when set (and must exist). Otherwise walks up from `from` (a path, a
 * `file:` URL such as `import.meta.url`, or the current directory) and returns the first
 * `<ancestor>/shared/specs`; from a checkout at `/work/main` that is `/work/shared/specs`, i.e.
 * `../shared/specs` relative to the repository root.
 *
 * @throws ConfigError when neither exists, saying where it looked.
 */
export function findSpecsDir(from: string | URL = process.cwd()): string {
  const override = process.env[SPECS_DIR_ENV];
  if (override) {
    const dir = resolve(override);
    if (isDirectory(dir)) return dir;
    throw new ConfigError(`${SPECS_DIR_ENV} points at ${dir}, which is not a directory`, {
      issues: [{ path: [SPECS_DIR_ENV], code: 'not_found', message: 'not a directory' }],
    });
  }
  const start = toPath(from);
  let dir = existsSync(start) && !isDirectory(start) ? dirname(start) : start;
  for (;;) {
    const candidate = join(dir, 'shared', 'specs');
    if (isDirectory(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new ConfigError(
    `could not find the vendors' specs: no shared/specs folder in ${start} or any folder above it. ` +
      `Place the specs beside the repository (../shared/specs) or set ${SPECS_DIR_ENV}.`,
    { issues: [{ path: [SPECS_DIR_ENV], code: 'not_found', message: 'shared/specs not found' }] },
  );
}

/** The environment variable that points hmi's tests at a `shared/corpora` folder elsewhere. */
export const CORPORA_DIR_ENV = 'HMI_CORPORA_DIR';

/**
 * Locates the real-world data folder (`shared/corpora`: HL7 v2 messages, FHIR patients, Stripe
 * event types) that mapper suites run. `HMI_CORPORA_DIR` wins when set (and must exist); else the
 * `corpora` folder beside the specs folder {@link findSpecsDir} finds (so `HMI_SPECS_DIR=/x/shared/specs`
 * also finds `/x/shared/corpora`).
 *
 * @throws ConfigError when neither exists, saying what to set.
 */
export function findCorporaDir(from: string | URL = process.cwd()): string {
  const override = process.env[CORPORA_DIR_ENV];
  if (override) {
    const dir = resolve(override);
    if (isDirectory(dir)) return dir;
    throw new ConfigError(`${CORPORA_DIR_ENV} points at ${dir}, which is not a directory`, {
      issues: [{ path: [CORPORA_DIR_ENV], code: 'not_found', message: 'not a directory' }],
    });
  }
  const beside = join(dirname(findSpecsDir(from)), 'corpora');
  if (isDirectory(beside)) return beside;
  throw new ConfigError(`could not find the corpora: no ${beside}. Place them beside the specs or set ${CORPORA_DIR_ENV}.`, {
    issues: [{ path: [CORPORA_DIR_ENV], code: 'not_found', message: 'shared/corpora not found' }],
  });
}
