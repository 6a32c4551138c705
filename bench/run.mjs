// Runs the benchmarks: every bench/<name>/index.mjs (or index.ts, through tsx) in turn, or only
// those named: `pnpm bench`, `pnpm bench http-overhead`, `pnpm bench hl7 stripe`.
// Extra arguments after `--` go to each benchmark.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const dash = args.indexOf('--');
const wanted = dash >= 0 ? args.slice(0, dash) : args;
const passThrough = dash >= 0 ? args.slice(dash + 1) : [];

const available = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => {
    const entry = ['index.mjs', 'index.js', 'index.ts', 'index.mts'].find((f) => existsSync(join(root, d.name, f)));
    return entry ? { name: d.name, file: join(root, d.name, entry) } : undefined;
  })
  .filter((b) => b !== undefined)
  .sort((a, b) => a.name.localeCompare(b.name));

const unknown = wanted.filter((w) => !available.some((b) => b.name === w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const selected = wanted.length ? available.filter((b) => wanted.includes(b.name)) : available;
let failed = 0;
for (const bench of selected) {
  console.log(`\n## bench/${bench.name}\n`);
  const typescript = /\.m?ts$/.test(bench.file);
  // Workspace packages from source (their `@hmi/source` export condition), so a clean clone runs
  // the TypeScript benchmarks without building every package's dist first.
  const nodeArgs = [...(typescript ? ['--conditions=@hmi/source', '--import', 'tsx'] : []), bench.file, ...passThrough];
  const result = spawnSync(process.execPath, nodeArgs, { stdio: 'inherit', cwd: join(root, '..') });
  if (result.status !== 0) {
    failed++;
    console.error(`bench/${bench.name} failed (exit ${result.status ?? result.signal})`);
  }
}
process.exit(failed ? 1 : 0);
