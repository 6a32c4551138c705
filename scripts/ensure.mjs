#!/usr/bin/env node
// Makes a fresh clone runnable with nothing but Node and npm: installs the pinned pnpm when it is
// missing (corepack is not relied on), then the workspace's dependencies from the lockfile.
// Idempotent and quick when everything is already in place.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const wanted = pkg.packageManager.split('@')[1];
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit', env: { ...process.env, COREPACK_ENABLE_STRICT: '0' } });

function pnpmVersion() {
  try {
    return execSync('pnpm --version', { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

if (pnpmVersion() !== wanted) {
  console.log(`[ensure] installing pnpm@${wanted} with npm`);
  run(`npm install -g pnpm@${wanted}`);
}

const marker = join(root, 'node_modules', '.modules.yaml');
const lock = join(root, 'pnpm-lock.yaml');
if (!existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs) {
  console.log('[ensure] installing dependencies from the lockfile');
  run('pnpm install --frozen-lockfile');
}
