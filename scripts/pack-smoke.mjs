#!/usr/bin/env node
// The newcomer's path, checked in CI: pack every published package, install the tarballs with npm
// into an empty app outside the workspace, and use them as an app would —
//   - `npm install` prints no EBADENGINE warning on this Node;
//   - every export path loads with `import` (ESM) and `require` (CommonJS);
//   - the packages' README runnable examples typecheck with `skipLibCheck: false` under both
//     `node16` and `bundler` resolution, and run as ESM — and as CommonJS (a `.cts` copy, its body
//     in an async function) when they do not use msw, whose declarations are ESM-only under node16;
//   - `hmi validate` on a newcomer's config: valid passes, `pageSize: "two"` and a misspelt secret
//     key are refused at their lines;
//   - a CommonJS TypeScript file that imports every package typechecks under node16;
//   - the connector scaffold (`create-connector`) installs, tests, builds and typechecks outside
//     any workspace against the tarballs.
// Needs a build first (`pnpm build`); CI runs it after the build (.ci/run). Network: the npm
// registry, for zod, msw, typescript and the packages' own dependencies, in ONE `npm install` of
// every tarball (a few minutes at most; the script prints each phase's time).
//
// The app's TypeScript settings are what we tell users (docs/getting-started.md, "TypeScript"):
//   - hmi's own types need no DOM lib: every file that imports only hmi's runtime entries is
//     checked with `lib: ["ES2023"]` and `types: ["node"]` (request bodies are
//     `RequestInit['body']`, which @types/node declares globally; no BodyInit, no DOM names).
//   - msw's own declarations need the DOM lib (its interceptors name DOM types), so the files that
//     import msw, a connector's `/msw` fake or @hmi/testing (which re-exports msw's types) are
//     checked in a second program with `lib: ["ES2023", "DOM"]`, as a user's test files would be.
//   - ioredis (under @hmi/queue-bullmq) ships declarations that import `redis-errors`, which has no
//     types of its own, and ioredis does not depend on `@types/redis-errors`: with skipLibCheck
//     false that is TS7016 inside ioredis. The app installs `@types/redis-errors`, the fix
//     DefinitelyTyped exists for; nothing is skipped.
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
const startedAt = Date.now();
let phaseAt = startedAt;
/** Prints how long the phase took, so the CI log shows where the minutes go. */
function phase(name) {
  const now = Date.now();
  console.log(`  (${name}: ${((now - phaseAt) / 1000).toFixed(1)} s)`);
  phaseAt = now;
}

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
// One recursive pnpm for all of them (a process per package cost a minute on a busy machine).
execFileSync(
  pnpm,
  [
    '-r',
    ...packages.flatMap((p) => ['--filter', p.name]),
    'pack',
    '--pack-destination',
    tarballs,
    '--workspace-concurrency',
    '4',
  ],
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
);
const files = readdirSync(tarballs).map((f) => join(tarballs, f));
if (files.length !== packages.length) fail(`packed ${files.length} tarballs for ${packages.length} packages`);
console.log(`packed ${files.length} packages`);
phase('pack');

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
// @types/redis-errors: see the header (ioredis's declarations import the untyped redis-errors).
const thirdParty = new Set(['zod', 'msw', 'typescript', '@types/node', '@types/redis-errors']);
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
const pins = {
  zod: 'zod@^4',
  msw: 'msw@^2',
  typescript: 'typescript@~5.9',
  '@types/node': '@types/node@^20',
  '@types/redis-errors': '@types/redis-errors@^1',
};
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
phase('npm install');

// 5. Every export path loads as ESM and as CommonJS: one process each, which tries every path
// and reports all that fail (a process per path cost a minute and a half).
// Subpaths for a test runner need it installed in the app; they are type-checked below instead.
const loadSpecs = packages.flatMap((p) =>
  p.subpaths
    .filter((sub) => !/vitest/.test(sub))
    .map((sub) => ({ spec: sub === '.' ? p.name : `${p.name}/${sub.slice(2)}`, json: sub.endsWith('.json') })),
);
const loadEach = (load) => `const failed = [];
for (const { spec, json } of JSON.parse(process.argv[1])) {
  try {
    const m = ${load};
    if (Object.keys(m).length === 0) throw new Error('no exports');
  } catch (error) {
    failed.push(spec + ': ' + (error && error.stack ? error.stack : error));
  }
}
if (failed.length > 0) {
  console.error(failed.join('\\n'));
  process.exitCode = 1;
}`;
const esmLoads = run(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    loadEach("await import(spec, json ? { with: { type: 'json' } } : undefined)"),
    JSON.stringify(loadSpecs),
  ],
  app,
);
if (!esmLoads.ok) fail(`import() of export paths failed:\n${esmLoads.out}`);
const cjsLoads = run(process.execPath, ['-e', loadEach('require(spec)'), JSON.stringify(loadSpecs)], app);
if (!cjsLoads.ok) fail(`require() of export paths failed:\n${cjsLoads.out}`);
console.log(`✓ ESM and CommonJS loads of ${loadSpecs.length} export paths checked`);
phase('loads');

// 6. TypeScript with skipLibCheck false, node16 and bundler resolution; CommonJS TS too. Two
// programs (see the header): src/ without the DOM lib (hmi's runtime entries), src-msw/ with it
// (msw, the `/msw` fakes, @hmi/testing).
const usesMsw = (code) => /from\s+'(msw(\/[^']*)?|@hmi\/testing(\/[^']*)?|@hmi\/[^']+\/msw)'/.test(code);
const src = join(app, 'src');
const srcMsw = join(app, 'src-msw');
mkdirSync(src);
mkdirSync(srcMsw);
for (const e of examples) writeFileSync(join(usesMsw(e.code) ? srcMsw : src, `${e.name}.mts`), `${e.code}\nexport {};\n`);
/**
 * The same example as a CommonJS module (`.cts`: its imports become `require` calls): the imports
 * stay at the top, the rest runs in an async function, since CommonJS has no top-level await.
 */
function toCommonJs(code) {
  const leadingImport = /^(?:[ \t]*(?:\/\/[^\n]*)?\n)*[ \t]*import\s[\s\S]*?from\s+'[^']+';[^\n]*\n/;
  const imports = [];
  let rest = code;
  for (let m = leadingImport.exec(rest); m; m = leadingImport.exec(rest)) {
    imports.push(m[0]);
    rest = rest.slice(m[0].length);
  }
  return `${imports.join('')}\nasync function main(): Promise<void> {\n${rest}\n}\nmain().catch((error: unknown) => {\n  console.error(error);\n  process.exitCode = 1;\n});\n`;
}
// CommonJS variants of the examples that do not use msw (msw's declarations do not load from
// CommonJS under node16, see below; its users are ESM test files).
const cjsExamples = examples.filter((e) => !usesMsw(e.code));
for (const e of cjsExamples) writeFileSync(join(src, `${e.name}.cts`), toCommonJs(e.code));
// @hmi/testing is left out of the CommonJS file: it re-exports msw's types, and msw's own
// declarations do not load from CommonJS under node16 (TS1479 inside msw). Its users are ESM test files.
const mainEntries = packages.filter((p) => p.subpaths.includes('.') && p.name !== '@hmi/testing');
writeFileSync(
  join(src, 'all-packages.cts'),
  `${mainEntries.map((p, i) => `import * as m${i} from '${p.name}';`).join('\n')}\nexport const loaded = [${mainEntries.map((_, i) => `m${i}`).join(', ')}].length;\n`,
);
// Every other export path's types, as ESM (test-runner subpaths need the runner: left out). The
// MSW fakes (`/msw`, and a connector's `/testing` alias of it) and @hmi/testing go to the DOM program.
const isMswSubpath = (p, sub) => sub === './msw' || (p.name.startsWith('@hmi/connector-') && sub === './testing');
const subpathSpec = (p, sub) => `${p.name}/${sub.slice(2)}`;
const typedSubpaths = packages.flatMap((p) =>
  p.subpaths.filter((sub) => sub !== '.' && !sub.endsWith('.json') && !/vitest/.test(sub)).map((sub) => ({ p, sub })),
);
const importAll = (specs, prefix) =>
  `${specs.map((spec, i) => `import * as ${prefix}${i} from '${spec}';`).join('\n')}\nexport const loaded = [${specs.map((_, i) => `${prefix}${i}`).join(', ')}].length;\n`;
writeFileSync(
  join(src, 'all-subpaths.mts'),
  importAll(
    typedSubpaths.filter(({ p, sub }) => !isMswSubpath(p, sub)).map(({ p, sub }) => subpathSpec(p, sub)),
    'n',
  ),
);
writeFileSync(
  join(srcMsw, 'all-msw-subpaths.mts'),
  importAll(
    [...typedSubpaths.filter(({ p, sub }) => isMswSubpath(p, sub)).map(({ p, sub }) => subpathSpec(p, sub)), '@hmi/testing'],
    's',
  ),
);
const base = {
  strict: true,
  skipLibCheck: false,
  target: 'ES2022',
  lib: ['ES2023'],
  types: ['node'],
  esModuleInterop: true,
  outDir: 'out',
};
const withDom = { lib: ['ES2023', 'DOM'] };
const configs = {
  'tsconfig.node16.json': {
    compilerOptions: { ...base, module: 'node16', moduleResolution: 'node16', rootDir: 'src' },
    include: ['src'],
  },
  'tsconfig.bundler.json': {
    compilerOptions: { ...base, module: 'esnext', moduleResolution: 'bundler', noEmit: true },
    include: ['src'],
  },
  'tsconfig.msw.node16.json': {
    compilerOptions: { ...base, ...withDom, module: 'node16', moduleResolution: 'node16', rootDir: 'src-msw' },
    include: ['src-msw'],
  },
  'tsconfig.msw.bundler.json': {
    compilerOptions: { ...base, ...withDom, module: 'esnext', moduleResolution: 'bundler', noEmit: true },
    include: ['src-msw'],
  },
};
const counts = { src: readdirSync(src).length, 'src-msw': readdirSync(srcMsw).length };
for (const [name, config] of Object.entries(configs)) {
  writeFileSync(join(app, name), JSON.stringify(config, null, 2));
  const tsc = run(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', name], app);
  const dir = config.include[0];
  if (!tsc.ok) fail(`tsc -p ${name} (skipLibCheck false, lib ${config.compilerOptions.lib.join('+')}):\n${tsc.out}`);
  else
    console.log(
      `✓ ${counts[dir]} files of ${dir}/ typecheck (${name}: skipLibCheck false, lib ${config.compilerOptions.lib.join('+')})`,
    );
}
phase('typecheck');

// 7. Run the README examples (compiled by the node16 builds) as ESM, and as CommonJS where they
// do not use msw.
const runs = [
  ...examples.map((e) => ({ e, file: `${e.name}.mjs`, kind: 'ESM' })),
  ...cjsExamples.map((e) => ({ e, file: `${e.name}.cjs`, kind: 'CommonJS' })),
];
for (const { e, file, kind } of runs) {
  const path = join(app, 'out', file);
  if (!existsSync(path)) {
    fail(`README example of ${e.name} (${kind}) was not compiled`);
    continue;
  }
  const result = run(process.execPath, [path], app, { timeoutMs: 60_000 });
  if (!result.ok) fail(`README example of ${e.name} (${kind}) failed (exit ${result.status}):\n${result.out.slice(-2000)}`);
}
console.log(
  `✓ ran ${examples.length} README examples as ESM (${examples.map((e) => e.name).join(', ')}) and ${cjsExamples.length} as CommonJS (${cjsExamples.map((e) => e.name).join(', ')})`,
);
phase('README examples');

// 8. The CLI on a newcomer's config, with the connectors from the tarballs: a valid config
// validates; `pageSize: "two"` is refused at its line by the connector's own schema; a misspelt
// secret key is refused with a suggestion.
const hmiBin = join(app, 'node_modules', '.bin', 'hmi');
const goodConfig = [
  'version: 1', //                                                          1
  'connectors:', //                                                         2
  '  ehr:', //                                                              3
  '    use: fhir', //                                                       4
  '    config:', //                                                         5
  '      baseUrl: https://ehr.example.org/fhir/R4', //                      6
  '      auth: { type: bearer, token: env:FHIR_TOKEN }', //                 7
  '      pageSize: 50', //                                                  8
  '  sms:', //                                                              9
  '    use: twilio', //                                                     10
  '    config:', //                                                         11
  '      accountSid: AC0123456789abcdef0123456789abcdef', //                12
  '      authToken: env:TWILIO_AUTH_TOKEN', //                              13
  "      from: '+15005550006'", //                                          14
  'points:',
  '  - id: ehr-to-sms',
  '    direction: outbound',
  '    source: { connector: ehr, stream: patients }',
  '    destination: { connector: sms, action: sendSms }',
  '    fields: [to, body, purpose]',
  '    purpose: transactional',
  '',
].join('\n');
const cliCases = [
  { name: 'hmi.yaml', text: goodConfig, expect: /hmi\.yaml: valid/ },
  {
    name: 'page-size.yaml',
    text: goodConfig.replace('pageSize: 50', 'pageSize: "two"'),
    expect: /page-size\.yaml:8:\d+: connectors\.ehr\.config\.pageSize/,
  },
  {
    name: 'misspelt.yaml',
    text: goodConfig.replace('authToken: env:', 'authtoken: env:'),
    expect: /misspelt\.yaml:13:\d+: connectors\.sms\.config\.authtoken: unknown key; did you mean authToken\?/,
  },
];
for (const c of cliCases) {
  writeFileSync(join(app, c.name), c.text);
  const result = run(hmiBin, ['validate', c.name], app);
  const wantOk = c.name === 'hmi.yaml';
  if (result.ok !== wantOk || !c.expect.test(result.out))
    fail(
      `hmi validate ${c.name}: expected ${wantOk ? 'success' : 'a refusal'} matching ${c.expect}, got (exit ${result.status}):\n${result.out}`,
    );
}
console.log(
  '✓ hmi validate: a valid config passes; pageSize "two" refused at its line; a misspelt secret key refused with a suggestion',
);
phase('hmi validate');

// 9. The connector scaffold, outside any workspace: create, install (hmi from the tarballs), test,
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
  if (scaffoldOk)
    console.log('✓ scaffolded connector: npm install, npm test, npm run build, npm run typecheck outside the workspace');
}

phase('scaffold');
console.log(`pack smoke took ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
if (keep) console.log(`app kept at ${app}`);
else rmSync(work, { recursive: true, force: true });
if (failures > 0) {
  console.error(`${failures} pack-smoke check(s) failed`);
  process.exit(1);
}
console.log('pack smoke: all checks passed');
