#!/usr/bin/env node
// Keeps every published package's publishConfig in step with its exports: the workspace resolves
// `@hmi/source` to TypeScript sources (tests, typecheck and the demo need no build), but the
// published manifest must point at dist only, so `src` is not shipped. pnpm applies
// publishConfig.exports when packing and publishing. Run with --check in CI.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
let stale = 0;

function stripSource(value) {
  if (Array.isArray(value)) return value.map(stripSource);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== '@hmi/source')
      .map(([k, v]) => [k, stripSource(v)]),
  );
}

for (const dir of readdirSync(join(root, 'packages'))) {
  if (only.length && !only.includes(dir)) continue;
  const file = join(root, 'packages', dir, 'package.json');
  let pkg;
  try {
    pkg = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    continue;
  }
  if (pkg.private) continue;
  const next = structuredClone(pkg);
  next.files = (pkg.files ?? ['dist']).filter((f) => !/^!?src(\/|$)/.test(f));
  if (!next.files.includes('dist')) next.files.unshift('dist');
  next.publishConfig = { ...pkg.publishConfig, access: 'public', exports: stripSource(pkg.exports) };
  const before = JSON.stringify(pkg, null, 2);
  const after = JSON.stringify(next, null, 2);
  if (before !== after) {
    stale++;
    if (check) console.error(`${pkg.name}: publishConfig/files out of date (run node scripts/publish-config.mjs)`);
    else writeFileSync(file, `${after}\n`);
  }
}
if (check && stale) process.exit(1);
