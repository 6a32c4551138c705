// HTTP overhead benchmark: requests/s and p50/p99 latency of @hmi/core's client against raw
// undici.request, Node's global fetch, ky (and the Stripe SDK when installed), at concurrency 1 and
// 32, against a loopback server running in another process. Each case runs in a fresh process.
//
//   pnpm bench http-overhead            (3 s per case)
//   BENCH_DURATION_MS=1000 pnpm bench http-overhead
//   node bench/http-overhead/index.mjs hmi,undici.request   (some clients only)
import { execFileSync, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { clients } from './clients.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 3000);
const concurrencies = (process.env.BENCH_CONCURRENCY ?? '1,32').split(',').map(Number);

if (!existsSync(here('../../packages/core/dist/index.js'))) {
  console.log('building @hmi/core first …');
  execFileSync('pnpm', ['--filter', '@hmi/core', 'build'], { stdio: 'inherit' });
}

let names = process.argv[2] ? process.argv[2].split(',') : Object.keys(clients);
try {
  await import('stripe');
} catch {
  names = names.filter((n) => n !== 'stripe SDK');
}

const server = fork(here('./server.mjs'), { stdio: 'inherit' });
const port = await new Promise((resolve, reject) => {
  server.once('message', (m) => resolve(m.port));
  server.once('error', reject);
});
const baseUrl = `http://127.0.0.1:${port}`;

function runCase(name, concurrency) {
  return new Promise((resolve, reject) => {
    const child = fork(here('./runner.mjs'), [name, String(concurrency), String(durationMs), baseUrl], { stdio: 'inherit' });
    let result;
    child.on('message', (m) => {
      result = m;
    });
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`${name} at ${concurrency} exited with ${code}`))));
  });
}

const results = [];
try {
  for (const concurrency of concurrencies) {
    for (const name of names) {
      const r = await runCase(name, concurrency);
      results.push(r);
      process.stderr.write(`  ${name} @${concurrency}: ${Math.round(r.rps)} req/s\n`);
    }
  }
} finally {
  server.kill();
}

const fmt = (n) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
console.log(`\n### HTTP client overhead (${durationMs} ms per case, loopback server in another process)\n`);
console.log(
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${availableParallelism()}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
console.log('| client | concurrency | req/s | p50 ms | p99 ms | client CPU µs/req |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(
    `| ${r.name} | ${r.concurrency} | ${Math.round(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${Math.round(r.cpuUsPerRequest)} |`,
  );
}
console.log('');
for (const concurrency of concurrencies) {
  const of = (name) => results.find((r) => r.name === name && r.concurrency === concurrency)?.rps;
  for (const ours of ['hmi']) {
    const hmi = of(ours);
    for (const peer of ['undici.request', 'stripe SDK', 'ky']) {
      const other = of(peer);
      if (hmi && other) console.log(`- concurrency ${concurrency}: ${ours} / ${peer} = ${(hmi / other).toFixed(2)}`);
    }
  }
}
