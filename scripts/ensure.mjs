#!/usr/bin/env node
// Makes a fresh clone runnable with nothing but Node and npm. It never writes outside the clone:
// when the pinned pnpm is not the one on PATH, npm installs it into `.cache/pnpm` (no `-g`, so no
// root-owned global prefix is needed and another global pnpm is left alone); the lockfile then
// brings the same pnpm into node_modules/.bin (a root devDependency), which npm scripts and
// `.ci/run` put first on PATH. Idempotent and quick when everything is already in place.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const wanted = pkg.packageManager.split('@')[1];
const env = { ...process.env, COREPACK_ENABLE_STRICT: '0', COREPACK_ENABLE_AUTO_PIN: '0' };
const quiet = process.argv.includes('--quiet');

/** The pnpm entry point of a local install, when it is the pinned version. */
function localPnpm(dir) {
  const entry = join(dir, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
  if (!existsSync(entry)) return undefined;
  const version = JSON.parse(readFileSync(join(dir, 'node_modules', 'pnpm', 'package.json'), 'utf8')).version;
  return version === wanted ? entry : undefined;
}

/** The version the `pnpm` on PATH reports, if any. */
function pathPnpmVersion() {
  try {
    return execFileSync('pnpm', ['--version'], { cwd: root, env, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

/** A command that runs the pinned pnpm: the workspace's own, the one on PATH, or one in .cache. */
function pinnedPnpm() {
  const own = localPnpm(root);
  if (own) return [process.execPath, own];
  if (pathPnpmVersion() === wanted) return ['pnpm'];
  const cache = join(root, '.cache', 'pnpm');
  let cached = localPnpm(cache);
  if (!cached) {
    console.log(`[ensure] installing pnpm@${wanted} into .cache/pnpm with npm (nothing global is written)`);
    try {
      execFileSync(
        process.platform === 'win32' ? 'npm.cmd' : 'npm',
        ['install', '--prefix', cache, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${wanted}`],
        { cwd: root, env, stdio: 'inherit' },
      );
    } catch (error) {
      console.error(`[ensure] could not install pnpm@${wanted} with npm: ${error.message.split('\n')[0]}`);
      console.error('[ensure] check that the npm registry is reachable (npm config get registry) and retry');
      process.exit(1);
    }
    cached = localPnpm(cache);
  }
  return [process.execPath, cached];
}

const marker = join(root, 'node_modules', '.modules.yaml');
const lock = join(root, 'pnpm-lock.yaml');
const stale = !existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs || !localPnpm(root);
if (stale) {
  const [cmd, ...args] = pinnedPnpm();
  console.log(`[ensure] installing the workspace's dependencies from the lockfile with pnpm@${wanted}`);
  execFileSync(cmd, [...args, 'install', '--frozen-lockfile'], { cwd: root, env, stdio: 'inherit' });
} else if (!quiet) {
  console.log(`[ensure] dependencies up to date (pnpm@${wanted} in node_modules/.bin)`);
}
