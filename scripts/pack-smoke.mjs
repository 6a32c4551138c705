#!/usr/bin/env node
// The newcomer's path, checked in CI: pack every published package, install the tarballs with npm
// into an empty app outside the workspace, and use them as an app would —
//   - `npm install` prints no EBADENGINE warning on this Node;
//   - every export path loads with `import` (ESM) and `require` (CommonJS);
//   - the packages' README runnable examples typecheck with `skipLibCheck: false` under both
//     `node16` and `bundler` resolution, and run as ESM;
//   - a CommonJS TypeScript file that imports every package typechecks under node16.
// Needs a build first (`pnpm build`). Network: the npm registry, for zod, msw, typescript and the
// packages' own dependencies. Run on demand for now, not in CI: with skipLibCheck false and no DOM
// lib, third-party declarations (msw's interceptors, ioredis's redis-errors) fail to typecheck, and
// that needs a decision (a DOM lib in the app's tsconfig, or excluding those packages) first.
//
//   node scripts/pack-smoke.mjs [--keep]      (--keep leaves the app folder and prints its path)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'hmi-pack-smoke-'));
const tarballs = join(work, 'tarballs');
const app = join(work, 'app');
mkdirSync(tarballs);
mkdirSync(app);
let failures = 0;

function fail(message) {
  failures++;
  console.error(`✗ ${message}`);
}

function run(cmd, args, cwd, options = {}) {
  const result = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    timeout: options.timeoutMs ?? 600_000,
  });
  return { ok: result.status === 0, out: `${result.stdout ?? ''}${result.stderr ?? ''}`, status: result.status };
}

// 1. The published packages and their export paths.
const packages = [];
for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const file = join(root, 'packages', dir, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  if (pkg.private) continue;
  const exportsMap = pkg.publishConfig?.exports ?? pkg.exports ?? {};
  const subpaths = Object.keys(exportsMap).filter((k) => k !== './package.json' && !k.includes('*'));
  packages.push({ dir, name: pkg.name, subpaths, pkg });
}

// 2. Pack (pnpm replaces workspace: ranges with versions and applies publishConfig).
const pnpm = existsSync(join(root, 'node_modules', '.bin', 'pnpm')) ? join(root, 'node_modules', '.bin', 'pnpm') : 'pnpm';
for (const p of packages) {
  execFileSync(pnpm, ['pack', '--pack-destination', tarballs], {
    cwd: join(root, 'packages', p.dir),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
const files = readdirSync(tarballs).map((f) => join(tarballs, f));
console.log(`packed ${files.length} packages`);

// 3. The README runnable examples (first ```ts block under a "Runnable example" / "runs as is" heading).
const examples = [];
for (const p of packages) {
  const readme = join(root, 'packages', p.dir, 'README.md');
  if (!existsSync(readme)) continue;
  const lines = readFileSync(readme, 'utf8').split('\n');
  let armed = false;
  for (let i = 0; i < lines.length; i++) {
    if (/^#{2,4} /.test(lines[i])) armed = /runnable|runs as is/i.test(lines[i]);
    if (armed && /^```(ts|typescript)\s*$/.test(lines[i])) {
      const end = lines.indexOf('```', i + 1);
      examples.push({ name: p.dir, code: lines.slice(i + 1, end).join('\n') });
      armed = false;
    }
  }
}
const thirdParty = new Set(['zod', 'msw', 'typescript', '@types/node']);
for (const e of examples) {
  for (const m of e.code.matchAll(/from\s+'([^'.][^']*)'/g)) {
    const spec = m[1];
    if (spec.startsWith('node:') || spec.startsWith('@hmi/')) continue;
    thirdParty.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
  }
}

// 4. Install into an empty app with npm, as a user outside the workspace would.
writeFileSync(
  join(app, 'package.json'),
  `${JSON.stringify({ name: 'hmi-smoke-app', private: true, version: '1.0.0' }, null, 2)}\n`,
);
const pins = { zod: 'zod@^4', msw: 'msw@^2', typescript: 'typescript@~5.9', '@types/node': '@types/node@^20' };
const install = run('npm', ['install', '--no-audit', '--no-fund', ...files, ...[...thirdParty].map((n) => pins[n] ?? n)], app);
if (!install.ok) fail(`npm install of the tarballs failed:\n${install.out}`);
if (/EBADENGINE/.test(install.out))
  fail(
    `npm install warned EBADENGINE:\n${install.out
      .split('\n')
      .filter((l) => /EBADENGINE|engine/i.test(l))
      .join('\n')}`,
  );
else console.log(`✓ npm install: ${files.length} tarballs, no engine warning (Node ${process.version})`);

// 5. Every export path loads as ESM and as CommonJS.
for (const p of packages) {
  for (const sub of p.subpaths) {
    const spec = sub === '.' ? p.name : `${p.name}/${sub.slice(2)}`;
    // Subpaths for a test runner need it installed in the app; they are type-checked below instead.
    if (/vitest/.test(sub)) continue;
    const attributes = sub.endsWith('.json') ? ", { with: { type: 'json' } }" : '';
    const esm = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(spec)}${attributes}); if (Object.keys(m).length === 0) throw new Error('no exports');`,
      ],
      app,
    );
    if (!esm.ok) fail(`import('${spec}') failed:\n${esm.out}`);
    const cjs = run(
      process.execPath,
      ['-e', `const m = require(${JSON.stringify(spec)}); if (Object.keys(m).length === 0) throw new Error('no exports');`],
      app,
    );
    if (!cjs.ok) fail(`require('${spec}') failed:\n${cjs.out}`);
  }
}
console.log(`✓ ESM and CommonJS loads of ${packages.reduce((n, p) => n + p.subpaths.length, 0)} export paths checked`);

// 6. TypeScript with skipLibCheck false, node16 and bundler resolution; CommonJS TS too.
const src = join(app, 'src');
mkdirSync(src);
for (const e of examples) writeFileSync(join(src, `${e.name}.mts`), `${e.code}\nexport {};\n`);
// @hmi/testing is left out of the CommonJS file: it re-exports msw's types, and msw's own
// declarations do not load from CommonJS under node16 (TS1479 inside msw). Its users are ESM test files.
const mainEntries = packages.filter((p) => p.subpaths.includes('.') && p.name !== '@hmi/testing');
writeFileSync(
  join(src, 'all-packages.cts'),
  `${mainEntries.map((p, i) => `import * as m${i} from '${p.name}';`).join('\n')}\nexport const loaded = [${mainEntries.map((_, i) => `m${i}`).join(', ')}].length;\n`,
);
// No DOM lib: a Node app's types must not need it (BodyInit, RequestInit come from undici's types in @types/node).
const base = {
  strict: true,
  skipLibCheck: false,
  target: 'ES2022',
  lib: ['ES2023'],
  types: ['node'],
  esModuleInterop: true,
  outDir: 'out',
};
const configs = {
  'tsconfig.node16.json': { compilerOptions: { ...base, module: 'node16', moduleResolution: 'node16' }, include: ['src'] },
  'tsconfig.bundler.json': {
    compilerOptions: { ...base, module: 'esnext', moduleResolution: 'bundler', noEmit: true },
    include: ['src'],
  },
};
for (const [name, config] of Object.entries(configs)) {
  writeFileSync(join(app, name), JSON.stringify(config, null, 2));
  const tsc = run(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', name], app);
  if (!tsc.ok) fail(`tsc -p ${name} (skipLibCheck false):\n${tsc.out}`);
  else
    console.log(
      `✓ ${examples.length} README examples and a CommonJS file importing ${mainEntries.length} packages typecheck (${name}, skipLibCheck false)`,
    );
}

// 7. Run the README examples (compiled by the node16 build) as ESM.
for (const e of examples) {
  const file = join(app, 'out', `${e.name}.mjs`);
  if (!existsSync(file)) {
    fail(`README example of ${e.name} was not compiled`);
    continue;
  }
  const result = run(process.execPath, [file], app, { timeoutMs: 60_000 });
  if (!result.ok) fail(`README example of ${e.name} failed (exit ${result.status}):\n${result.out.slice(-2000)}`);
}
console.log(`✓ ran ${examples.length} README examples: ${examples.map((e) => e.name).join(', ')}`);

// 8. The connector scaffold, outside any workspace: create, install (hmi from the tarballs), test,
// build and typecheck (its tsconfig has skipLibCheck false).
const scaffold = join(work, 'connector-acme-crm');
const created = run(join(app, 'node_modules', '.bin', 'create-connector'), ['acme-crm', '--dir', scaffold], app);
if (!created.ok) fail(`create-connector failed:\n${created.out}`);
else {
  const hmiTarballs = files.filter((f) => /hmi-(core|testing)-\d/.test(f));
  const steps = [
    ['npm', ['install', '--no-audit', '--no-fund', ...hmiTarballs]],
    ['npm', ['test']],
    ['npm', ['run', 'build']],
    ['npm', ['run', 'typecheck']],
  ];
  let scaffoldOk = true;
  for (const [cmd, args] of steps) {
    const step = run(cmd, args, scaffold);
    if (!step.ok) {
      scaffoldOk = false;
      fail(`scaffolded connector: ${cmd} ${args.join(' ')} failed:\n${step.out.slice(-3000)}`);
      break;
    }
    if (/EBADENGINE/.test(step.out)) fail(`scaffolded connector: ${cmd} ${args.join(' ')} warned EBADENGINE`);
  }
  if (failures === 0)
    console.log('✓ scaffolded connector: npm install, npm test, npm run build, npm run typecheck outside the workspace');
}

if (keep) console.log(`app kept at ${app}`);
else rmSync(work, { recursive: true, force: true });
if (failures > 0) {
  console.error(`${failures} pack-smoke check(s) failed`);
  process.exit(1);
}
console.log('pack smoke: all checks passed');
