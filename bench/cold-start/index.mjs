// Cold import, whole-process timing (farm-style): each round spawns a fresh `node` that does
// `await import(<module>)` and exits, for bare node, the twilio and stripe SDKs (root devDependencies)
// and @hmi/connector-twilio / @hmi/connector-stripe from their built dist (and zod alone, for
// reference). The cases run interleaved in a new random order every round, so a burst of load on
// this shared machine hits every case alike. Printed per case: median wall time, median CPU time (user + system of the child,
// reported by the child itself on exit), each over bare node, and hmi's cost over the peer's.
// Run on demand (never in tests or CI): `pnpm bench cold-start`, `pnpm bench cold-start -- --rounds=40`.
// It builds the two connectors (and what they depend on) first when a dist/ is missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const ROUNDS = arg('rounds', 20);

const dist = (pkg) => `${root}packages/${pkg}/dist/index.js`;
for (const pkg of ['connector-twilio', 'connector-stripe', 'core']) {
  if (!existsSync(dist(pkg))) {
    console.log(`building @hmi/${pkg} and its workspace dependencies first …`);
    execFileSync('pnpm', ['--filter', `@hmi/${pkg}...`, 'build'], { cwd: root, stdio: 'inherit' });
  }
}

// The child prints its own CPU time after the import: process-wide, so Node's bootstrap is in it
// (and cancels out against bare node), while time spent waiting for a core on this busy machine is not.
const script = (specifier) =>
  `${specifier ? `await import(${JSON.stringify(specifier)});` : ''}` +
  'const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000));';

const cases = [
  { name: 'bare node', specifier: undefined },
  { name: 'twilio SDK', specifier: 'twilio' },
  { name: 'stripe SDK', specifier: 'stripe' },
  { name: '@hmi/connector-twilio', specifier: pathToFileURL(dist('connector-twilio')).href },
  { name: '@hmi/connector-stripe', specifier: pathToFileURL(dist('connector-stripe')).href },
  // Not competitors: what zod alone costs (the floor of anything that imports it at module load),
  // and what @hmi/core's root entry costs (the floor of every hmi connector).
  { name: 'zod (reference)', specifier: 'zod' },
  { name: '@hmi/core (reference)', specifier: pathToFileURL(dist('core')).href },
];

function runOnce(c) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(c.specifier)], { cwd: root, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${c.name}: the child failed (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
  return { wall, cpu: Number(r.stdout) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const samples = new Map(cases.map((c) => [c.name, { wall: [], cpu: [] }]));
const loadBefore = loadavg();
for (const c of cases) runOnce(c); // warm the OS file cache once, not counted
for (let round = 0; round < ROUNDS; round++) {
  const order = [...cases].sort(() => Math.random() - 0.5);
  for (const c of order) {
    const { wall, cpu } = runOnce(c);
    samples.get(c.name).wall.push(wall);
    samples.get(c.name).cpu.push(cpu);
  }
}
const loadAfter = loadavg();

const med = Object.fromEntries(
  cases.map((c) => [c.name, { wall: median(samples.get(c.name).wall), cpu: median(samples.get(c.name).cpu) }]),
);
const bare = med['bare node'];
const fmt = (n) => n.toFixed(1);
console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${ROUNDS} interleaved rounds`);
console.log(
  `load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}\n`,
);
console.log('| import | wall ms (median) | + wall over bare | CPU ms (median) | + CPU over bare |');
console.log('|---|---:|---:|---:|---:|');
for (const c of cases) {
  const m = med[c.name];
  const plus = (k) => (c.specifier ? `+${fmt(m[k] - bare[k])}` : '—');
  console.log(`| ${c.name} | ${fmt(m.wall)} | ${plus('wall')} | ${fmt(m.cpu)} | ${plus('cpu')} |`);
}
console.log('');
for (const [hmi, peer] of [
  ['@hmi/connector-twilio', 'twilio SDK'],
  ['@hmi/connector-stripe', 'stripe SDK'],
]) {
  const over = (name, k) => med[name][k] - bare[k];
  const ratio = (k) => (over(hmi, k) / over(peer, k)).toFixed(2);
  console.log(
    `${hmi} vs ${peer}: +${fmt(over(hmi, 'wall'))} ms vs +${fmt(over(peer, 'wall'))} ms wall (hmi/peer ${ratio('wall')}), ` +
      `+${fmt(over(hmi, 'cpu'))} vs +${fmt(over(peer, 'cpu'))} ms CPU (hmi/peer ${ratio('cpu')}); goal: hmi ≤ +60 ms`,
  );
}
