// Stripe benchmark: @hmi/connector-stripe against the official `stripe` SDK.
//  1. createPaymentIntent throughput on the same loopback server (another process), concurrency 32;
//  2. the bundled size of one PaymentIntent call (esbuild, minified, gzipped);
//  3. install size (connector + core + runtime dependencies vs the stripe package).
//  4. webhook verify + parse of a ~2 KB event against stripe.webhooks.constructEvent (bench/stripe/webhook.ts,
//     interleaved rounds per CPU-second; runs first, before the server exists).
// Run on demand: `pnpm bench stripe` or `node --import tsx bench/stripe/index.ts`.
// Options: --seconds=3 (per round), --rounds=3 (best of), --concurrency=32.
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import Stripe from 'stripe';
import { createStripeConnector } from '../../packages/connector-stripe/src/index.js';
import { webhookRows } from './webhook.js';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const SECONDS = arg('seconds', 3);
const ROUNDS = arg('rounds', 3);
const CONCURRENCY = arg('concurrency', 32);
const root = fileURLToPath(new URL('../../', import.meta.url));

const params = {
  amount: 15_050,
  currency: 'sar',
  description: 'استشارة طبية',
  metadata: { hmi_contact_id: 'contact-42', visit: 'v-9' },
  payment_method_types: ['card'],
  receipt_email: 'patient@example.sa',
};

async function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(new URL('./server.mjs', import.meta.url)), { stdio: 'inherit' });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  return { child, port };
}

/** Calls/s of each client, best of ROUNDS; rounds alternate between the clients so that load
 * from the rest of the machine falls on both alike. */
async function throughput(calls: Array<() => Promise<unknown>>): Promise<number[]> {
  const best = calls.map(() => 0);
  for (let round = -1; round < ROUNDS; round++) {
    for (const [i, call] of calls.entries()) {
      let done = 0;
      const started = performance.now();
      const end = started + (round < 0 ? 1000 : SECONDS * 1000); // round -1 warms up
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() < end) {
            await call();
            done++;
          }
        }),
      );
      if (round >= 0) best[i] = Math.max(best[i]!, done / ((performance.now() - started) / 1000));
    }
  }
  return best;
}

async function bundleSize(entry: string, external: string[]): Promise<{ raw: number; gzip: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'hmi-stripe-bench-'));
  try {
    const file = join(dir, 'entry.ts');
    writeFileSync(file, entry);
    const result = await build({
      entryPoints: [file],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      // Workspace packages from source (the `@hmi/source` condition): the same code as dist.
      conditions: ['@hmi/source'],
      alias: { '@hmi/connector-stripe': join(root, 'packages/connector-stripe/src/index.ts') },
      external,
      absWorkingDir: root,
      nodePaths: [join(root, 'node_modules'), join(root, 'packages/connector-stripe/node_modules')],
      logLevel: 'error',
    });
    const code = result.outputFiles[0]!.contents;
    return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function dirSize(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + dirSize(join(path, name)), 0);
}

/** The real directory of an installed package, seen from `from`. */
function packageDir(name: string, from: string): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    // pnpm links packages from its store; their dependencies sit next to the real directory.
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find ${name} from ${from}`);
    dir = parent;
  }
}

/** Runtime dependencies (dependencies, transitively; peers excluded) of a package directory. */
function runtimeDeps(dir: string, seen = new Map<string, string>()): Map<string, string> {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    if (name.startsWith('@hmi/') || seen.has(name)) continue;
    const depDir = packageDir(name, dir);
    seen.set(name, depDir);
    runtimeDeps(depDir, seen);
  }
  return seen;
}

/** Unpacked size of what `npm pack` would publish from a workspace package (needs dist built). */
function packedSize(dir: string): number {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out)[0].unpackedSize;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;

// CPU-bound and in-process: measured before the server process exists, so it does not compete.
const webhook = webhookRows();
const { child, port } = await startServer();
try {
  const sdk = new Stripe('sk_test_bench', { host: '127.0.0.1', port, protocol: 'http' });
  const hmi = createStripeConnector({ apiKey: 'sk_test_bench', baseUrl: `http://127.0.0.1:${port}`, allowInsecureHttp: true });
  // Same logical call; each client with its defaults (the SDK adds its own idempotency key on POST
  // when retries are on, as the connector always does).
  const [sdkRate = 0, hmiRate = 0] = await throughput([
    () => sdk.paymentIntents.create(params),
    () => hmi.actions.createPaymentIntent(params),
  ]);

  const sdkBundle = await bundleSize(
    `import Stripe from 'stripe';\nconst s = new Stripe(process.env.K!);\nawait s.paymentIntents.create({ amount: 15050, currency: 'sar' });\n`,
    [],
  );
  const entry = `import { createStripeConnector } from '@hmi/connector-stripe';\nconst s = createStripeConnector({ apiKey: process.env.K! });\nawait s.actions.createPaymentIntent({ amount: 15050, currency: 'sar' });\n`;
  // undici is an optional peer of @hmi/core behind an opt-in transport (a dynamic import): not counted.
  // The connector loads no zod (its schemas are valibot, issue 22): every other dependency is counted.
  const hmiBundle = await bundleSize(entry, ['undici']);
  // jose comes with @hmi/core's JWT auth strategies, which Stripe's bearer auth never uses.
  const hmiBundleNoJose = await bundleSize(entry, ['undici', 'jose']);

  const stripeDir = packageDir('stripe', root);
  const stripeInstall = dirSize(stripeDir) + [...runtimeDeps(stripeDir).values()].reduce((s, d) => s + dirSize(d), 0);
  const connectorDir = join(root, 'packages/connector-stripe');
  const coreDir = join(root, 'packages/core');
  const canPack = existsSync(join(connectorDir, 'dist')) && existsSync(join(coreDir, 'dist'));
  const deps = new Map([...runtimeDeps(connectorDir), ...runtimeDeps(coreDir)]);
  const depsSize = [...deps.values()].reduce((s, d) => s + dirSize(d), 0);
  const ownSize = canPack ? packedSize(connectorDir) + packedSize(coreDir) : Number.NaN;

  const rows: string[][] = [
    [
      'createPaymentIntent calls/s (c=32, loopback, other process)',
      `${sdkRate.toFixed(0)}`,
      `${hmiRate.toFixed(0)}`,
      `${(hmiRate / sdkRate).toFixed(2)}×`,
    ],
    [
      'bundle of one PaymentIntent call, min+gzip',
      kb(sdkBundle.gzip),
      kb(hmiBundle.gzip),
      `${(hmiBundle.gzip / sdkBundle.gzip).toFixed(2)}×`,
    ],
    [
      'same, jose external (jose: core JWT auth, unused here)',
      kb(sdkBundle.gzip),
      kb(hmiBundleNoJose.gzip),
      `${(hmiBundleNoJose.gzip / sdkBundle.gzip).toFixed(2)}×`,
    ],
    ['bundle, minified, not gzipped', kb(sdkBundle.raw), kb(hmiBundle.raw), `${(hmiBundle.raw / sdkBundle.raw).toFixed(2)}×`],
    [
      'install size (package(s) + runtime deps)',
      mb(stripeInstall),
      canPack ? mb(ownSize + depsSize) : 'build first',
      canPack ? `${((ownSize + depsSize) / stripeInstall).toFixed(3)}×` : '',
    ],
    ...webhook,
  ];
  console.log(
    `| measure | stripe ${JSON.parse(readFileSync(join(stripeDir, 'package.json'), 'utf8')).version} | @hmi/connector-stripe | hmi / stripe |`,
  );
  console.log('| --- | ---: | ---: | ---: |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log(
    `\nInstall size of hmi = npm-pack unpacked size of @hmi/connector-stripe (${canPack ? kb(packedSize(connectorDir)) : '?'}) and @hmi/core (${canPack ? kb(packedSize(coreDir)) : '?'}),` +
      ` both with dist + src + d.ts, plus their runtime dependencies on disk: ${[...deps.keys()].join(', ')} (${kb(depsSize)}).` +
      `\nThe stripe figure is its installed directory (it has no runtime dependencies). Throughput: best of ${ROUNDS} × ${SECONDS}s after a 1s warm-up;` +
      ' the connector validates every response (valibot), the SDK does not.' +
      ` Load average during the run: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} CPUs.`,
  );
} finally {
  child.kill();
}
