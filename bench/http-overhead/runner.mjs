// Measures one client at one concurrency for a fixed time and reports the figures to the parent.
// Runs in its own process so that no client's pool, JIT state or garbage affects another's.
import { clients as measured, references } from './clients.mjs';

const clients = { ...measured, ...references };

const [name, concurrencyArg, durationArg, baseUrl] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const durationMs = Number(durationArg);
const warmupMs = Math.min(500, durationMs / 4);

const call = await clients[name](baseUrl);
const sanity = await call();
if (sanity?.id !== 'pi_123') throw new Error(`${name} returned an unexpected body`);

async function drive(ms, latencies) {
  const stopAt = performance.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < stopAt) {
        const started = performance.now();
        await call();
        latencies?.push(performance.now() - started);
        done++;
      }
    }),
  );
  return done;
}

await drive(warmupMs);
const latencies = [];
const cpuBefore = process.cpuUsage();
const started = performance.now();
const done = await drive(durationMs, latencies);
const elapsedS = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
// Client CPU per request: steadier than req/s on a shared machine, since it does not count the
// time this process spent waiting for a core.
const cpuUsPerRequest = (cpu.user + cpu.system) / done;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? Number.NaN;
const result = { name, concurrency, requests: done, rps: done / elapsedS, p50: pct(0.5), p99: pct(0.99), cpuUsPerRequest };
if (process.send) {
  process.send(result);
  process.disconnect();
} else {
  // Run by hand (e.g. under --cpu-prof): print instead of reporting to index.mjs.
  console.log(JSON.stringify(result));
  process.exit(0);
}
