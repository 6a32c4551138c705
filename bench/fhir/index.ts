// FHIR benchmark (issue 3): searchset Bundle → Contact with validation, and memory while streaming
// 100k patients page by page from a loopback server.
//
//   node --expose-gc --conditions=@hmi/source --import tsx bench/fhir/index.ts
// The comparison with the naive zod 4 + libphonenumber-js mapper alone: bench/fhir/vs-naive.ts.
//
// Env: FHIR_BENCH_TOTAL (default 100000), FHIR_BENCH_PAGE (default 100, the connector's default).
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createFhirConnector, fhirPatientToContact } from '../../packages/connector-fhir/src/index.js';
import { Ajv } from 'ajv';
import draft6MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { bundle } from './patients.mjs';
import { printNaiveComparison } from './vs-naive.js';

const TOTAL = Number(process.env.FHIR_BENCH_TOTAL ?? 100_000);
const PAGE = Number(process.env.FHIR_BENCH_PAGE ?? 100); // the connector's default pageSize
const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;

/** CPU seconds (user + system) this process has used: robust on a shared, loaded machine. */
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Records per CPU-second of a synchronous batch function. */
function timeIt(fn: () => number, minCpuSeconds = 1.5): number {
  fn(); // warm-up
  let records = 0;
  const started = cpuSeconds();
  while (cpuSeconds() - started < minCpuSeconds) records += fn();
  return records / (cpuSeconds() - started);
}

// ---- 1. Memory: 100k patients page by page from a loopback server (first, in a fresh heap) --
const child = fork(new URL('./server.mjs', import.meta.url), { env: { ...process.env, FHIR_BENCH_TOTAL: String(TOTAL) } });
const port = await new Promise<number>((resolve) => child.on('message', (m: { port: number }) => resolve(m.port)));
const fhir = createFhirConnector({
  baseUrl: `http://127.0.0.1:${port}/fhir`,
  allowInsecureHttp: true,
  auth: { type: 'bearer', token: 'bench-token' },
  defaultRegion: 'SA',
  pageSize: PAGE,
});
const seen = new Uint8Array(TOTAL);
let duplicates = 0;
let records = 0;
let pages = 0;
gc?.();
const baseHeap = process.memoryUsage().heapUsed;
const baseRss = process.memoryUsage().rss;
let peakHeap = baseHeap;
let peakRss = baseRss;
const afterGc: number[] = [];
const started = performance.now();
const startedCpu = cpuSeconds();
for await (const page of fhir.streams.patients.read()) {
  for (const c of page.records) {
    const i = Number(c.source!.id.slice(1));
    if (seen[i]) duplicates++;
    seen[i] = 1;
  }
  records += page.records.length;
  pages++;
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakRss = Math.max(peakRss, m.rss);
  if (gc && pages % 20 === 0) {
    gc();
    afterGc.push(process.memoryUsage().heapUsed);
  }
}
const streamSeconds = (performance.now() - started) / 1000;
const streamCpu = cpuSeconds() - startedCpu;
child.kill();
const missing = seen.reduce((n, v) => n + (v ? 0 : 1), 0);

// ---- 2. Throughput: the connector's whole per-page path, network excluded --------------------
const BATCH = 1000;
const pageText = JSON.stringify(bundle(0, BATCH, 'https://fhir.bench/R4', undefined));
const pageJson = JSON.parse(pageText) as { entry: Array<{ resource: unknown }> };

/** A fetch that serves the same 1000-patient page `pages` times, then an empty page. */
function servingFetch(pages: number): typeof fetch {
  let served = 0;
  const last = JSON.stringify({ resourceType: 'Bundle', type: 'searchset' });
  return async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.endsWith('/metadata')) return new Response('{"resourceType":"CapabilityStatement"}', { status: 200 });
    served++;
    const text =
      served <= pages
        ? pageText.replace('"link":[', `"link":[{"relation":"next","url":"https://fhir.bench/R4?_cursor=${served}"},`)
        : last;
    return new Response(text, { status: 200, headers: { 'content-type': 'application/fhir+json' } });
  };
}

async function connectorRecordsPerSecond(): Promise<number> {
  const run = async () => {
    const fhir = createFhirConnector(
      {
        baseUrl: 'https://fhir.bench/R4',
        auth: { type: 'bearer', token: 'bench-token' },
        defaultRegion: 'SA',
        pageSize: BATCH,
        elements: false,
      },
      { fetch: servingFetch(10) },
    );
    let n = 0;
    for await (const page of fhir.streams.patients.read()) n += page.records.length;
    return n;
  };
  await run();
  let records = 0;
  const started = cpuSeconds();
  while (cpuSeconds() - started < 3) records += await run();
  return records / (cpuSeconds() - started);
}

const mappingOnly = timeIt(() => {
  for (const e of pageJson.entry) fhirPatientToContact(e.resource as never, { defaultRegion: 'SA' });
  return BATCH;
});
const connectorRate = await connectorRecordsPerSecond();

// Peer: JSON.parse + validation of each Patient against the official FHIR R4 JSON schema with
// ajv (validation only, no mapping), the usual way to "validate FHIR" in JavaScript.
const schema = JSON.parse(readFileSync(new URL('../../../shared/specs/fhir/r4/fhir.schema.json', import.meta.url), 'utf8'));
schema.definitions.Resource ??= { type: 'object' };
schema.definitions.integer64 ??= { type: 'string' };
delete schema.id;
schema.$id = 'fhir';
const ajv = new Ajv({ strict: false, validateSchema: false });
ajv.addMetaSchema(draft6MetaSchema);
ajv.addSchema(schema);
const validatePatient = ajv.getSchema('fhir#/definitions/Patient')!;
const ajvRate = timeIt(() => {
  const parsed = JSON.parse(pageText) as { entry: Array<{ resource: unknown }> };
  for (const e of parsed.entry) if (!validatePatient(e.resource)) throw new Error('bench data invalid');
  return BATCH;
});

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log('\nFHIR searchset Bundle → Contact (with validation), records per CPU-second — higher is better\n');
console.table([
  {
    case: '@hmi/connector-fhir stream: JSON.parse + Bundle zod + map + Contact zod',
    'records/CPU-s': fmt(connectorRate),
    'vs peer': (connectorRate / ajvRate).toFixed(2),
  },
  {
    case: 'fhirPatientToContact alone (validate input + map, E.164)',
    'records/CPU-s': fmt(mappingOnly),
    'vs peer': (mappingOnly / ajvRate).toFixed(2),
  },
  { case: 'peer: JSON.parse + ajv FHIR R4 schema validation (no mapping)', 'records/CPU-s': fmt(ajvRate), 'vs peer': '1.00' },
]);
console.log(`\nStreaming ${fmt(TOTAL)} patients from a loopback server, _count=${PAGE} (${pages} pages)\n`);
console.table([
  {
    records: fmt(records),
    missing,
    duplicates,
    'records/CPU-s (client)': fmt(records / streamCpu),
    'records/s wall': fmt(records / streamSeconds),
    'heap base MB': (baseHeap / MB).toFixed(1),
    'heap peak MB': (peakHeap / MB).toFixed(1),
    'heap growth after GC MB': afterGc.length
      ? ((Math.max(...afterGc) - baseHeap) / MB).toFixed(1)
      : 'n/a (run with --expose-gc)',
    'rss growth MB': ((peakRss - baseRss) / MB).toFixed(1),
  },
]);
if (afterGc.length > 2) {
  const third = Math.floor(afterGc.length / 3);
  const early = afterGc.slice(0, third);
  const late = afterGc.slice(-third);
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length / MB;
  console.log(
    `post-GC heap, first third vs last third of the read: ${avg(early).toFixed(1)} MB → ${avg(late).toFixed(1)} MB (flat = no growth per page)`,
  );
}
if (missing > 0 || duplicates > 0) process.exitCode = 1;

// ---- 3. Against the naive peer (zod 4 + libphonenumber-js), interleaved: bench/fhir/vs-naive.ts --
await printNaiveComparison();
