// Flow benchmark (issue 6): sync throughput with the SQLite state store, and webhook answer
// latency, each against a hand-written baseline doing the same I/O without the machinery.
//
//   pnpm bench flow            (or: node bench/flow/index.mjs)
//
// Env: FLOW_BENCH_RECORDS (default 20000), FLOW_BENCH_WEBHOOKS (default 1000).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The packages are benchmarked from source: re-run the TypeScript bench with the source condition.
const script = fileURLToPath(new URL('./bench.ts', import.meta.url));
const result = spawnSync(process.execPath, ['--conditions=@hmi/source', '--import', 'tsx', script, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: fileURLToPath(new URL('../../packages/store-sqlite/', import.meta.url)),
});
process.exit(result.status ?? 1);
