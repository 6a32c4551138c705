// Scale benchmark (issue 13): outbox deliveries through @hmi/queue-bullmq + @hmi/store-postgres with
// 1, 2 and 4 worker processes, and the cost of going distributed against SQLite + in-process.
//
//   pnpm bench scale           (or: node bench/scale/index.mjs)
//   pnpm bench scale -- --deliveries 20000 --per-run 2000   (defaults: 1000 and 400)
//
// Needs PostgreSQL (HMI_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) and
// Redis (HMI_TEST_REDIS_URL, default redis://127.0.0.1:6379); each run uses its own schema and key
// prefix and removes them.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The packages are benchmarked from source: re-run the TypeScript bench with the source condition.
const script = fileURLToPath(new URL('./bench.ts', import.meta.url));
const result = spawnSync(process.execPath, ['--conditions=@hmi/source', '--import', 'tsx', script, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: fileURLToPath(new URL('../../packages/queue-bullmq/', import.meta.url)),
});
process.exit(result.status ?? 1);
