// FHIR searchset Bundle → validated Contact: @hmi/connector-fhir against the naive peer, a zod 4 +
// libphonenumber-js mapper written from the FHIR spec (packages/connector-fhir/test/
// naive-patient-mapper.ts, the oracle the differential test checks the connector against: the
// Contacts are deep-equal). Interleaved rounds, records per CPU-second of this process.
//
// Alone: `node --conditions=@hmi/source --import tsx bench/fhir/vs-naive.ts [--rounds=6] [--ms=300]`.
// `pnpm bench fhir` runs it first, then the rest of bench/fhir.
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { createFhirConnector, fhirPatientToContact } from '../../packages/connector-fhir/src/index.js';
import { naiveBundleToContacts, naiveSearchPage } from '../../packages/connector-fhir/test/naive-patient-mapper.js';
import { bundle } from './patients.mjs';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Records per CPU-second of each function (each returns how many records it produced), over
 * `rounds` interleaved rounds of about `ms` CPU-ms each, the order reversed every round.
 */
export async function interleaved(fns: Array<() => number | Promise<number>>, rounds: number, ms: number): Promise<number[]> {
  const records = fns.map(() => 0);
  const spent = fns.map(() => 0);
  for (const fn of fns) for (let i = 0; i < 3; i++) await fn(); // warm-up
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? fns.map((_, i) => i) : fns.map((_, i) => fns.length - 1 - i);
    for (const i of order) {
      const started = cpuMs();
      do records[i]! += await fns[i]!();
      while (cpuMs() - started < ms);
      spent[i]! += cpuMs() - started;
    }
  }
  return records.map((n, i) => (n / spent[i]!) * 1000);
}

const BATCH = 1000;
const PAGES = 5;
const BASE = 'https://fhir.bench/R4';
const pageText = JSON.stringify(bundle(0, BATCH, BASE, undefined));
// Each page holds other Patients (other numbers): a per-instance cache could not serve a later
// page from an earlier one, as it cannot in a real sync.
const pageTexts = Array.from({ length: PAGES }, (_, k) =>
  JSON.stringify(bundle(k * BATCH, (k + 1) * BATCH, BASE, k + 1 < PAGES ? `${BASE}/Patient?_cursor=${k + 1}` : undefined)),
);

/** A fetch serving the PAGES searchset pages in turn (then an empty one), as a server would. */
function servingFetch(): typeof fetch {
  let served = 0;
  const last = JSON.stringify({ resourceType: 'Bundle', type: 'searchset' });
  return async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.endsWith('/metadata')) return new Response('{"resourceType":"CapabilityStatement"}', { status: 200 });
    const text = pageTexts[served++] ?? last;
    return new Response(text, { status: 200, headers: { 'content-type': 'application/fhir+json' } });
  };
}

/** The connector's whole read: HTTP pipeline, Bundle check, mapping, the stream's Contact validation. */
async function hmiStream(): Promise<number> {
  const fhir = createFhirConnector(
    { baseUrl: BASE, auth: { type: 'bearer', token: 'bench-token' }, defaultRegion: 'SA', pageSize: BATCH, elements: false },
    { fetch: servingFetch() },
  );
  let n = 0;
  for await (const page of fhir.streams.patients.read()) n += page.records.length;
  return n;
}

/** The naive peer on the same pages: fetch, read the text, parse and map. */
async function naiveStream(): Promise<number> {
  const f = servingFetch();
  let n = 0;
  let next: string | undefined = `${BASE}/Patient?_count=${BATCH}`;
  while (next) {
    const page = naiveSearchPage(await (await f(next)).text(), { defaultRegion: 'SA' });
    n += page.contacts.length;
    next = page.next;
  }
  return n;
}

/** Mapping only, from the page's text: JSON.parse, then the connector's mapper per entry. */
function hmiMapper(): number {
  const parsed = JSON.parse(pageText) as { entry: Array<{ resource: unknown }> };
  for (const e of parsed.entry) fhirPatientToContact(e.resource as never, { defaultRegion: 'SA' });
  return parsed.entry.length;
}

export async function naiveRows(rounds = arg('rounds', 6), ms = arg('ms', 300)): Promise<string[][]> {
  // Same Contacts from both, or the comparison means nothing.
  const a = naiveBundleToContacts(pageText, { defaultRegion: 'SA' });
  const b = (JSON.parse(pageText) as { entry: Array<{ resource: unknown }> }).entry.map((e) =>
    fhirPatientToContact(e.resource as never, { defaultRegion: 'SA' }),
  );
  if (
    JSON.stringify(a.map((c) => JSON.stringify(c, Object.keys(c).sort()))) !==
    JSON.stringify(b.map((c) => JSON.stringify(c, Object.keys(c).sort())))
  ) {
    throw new Error('hmi and the naive mapper disagree on the bench page');
  }
  const [naiveCount, hmiCount] = [await naiveStream(), await hmiStream()];
  if (naiveCount !== PAGES * BATCH || hmiCount !== PAGES * BATCH) {
    throw new Error(`expected ${PAGES * BATCH} records from each stream, got naive ${naiveCount}, hmi ${hmiCount}`);
  }
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const rows: string[][] = [];
  const [naiveS = 0, hmiS = 0] = await interleaved([naiveStream, hmiStream], rounds, ms);
  rows.push([
    `searchset Bundle → validated Contact, ${PAGES} pages × ${BATCH} from fetch (hmi: connector stream incl. its Contact check)`,
    fmt(naiveS),
    fmt(hmiS),
    `${(hmiS / naiveS).toFixed(2)}×`,
  ]);
  const [naiveM = 0, hmiM = 0] = await interleaved(
    [() => naiveBundleToContacts(pageText, { defaultRegion: 'SA' }).length, hmiMapper],
    rounds,
    ms,
  );
  rows.push([
    'page text → Contacts (JSON.parse + validate + map; hmi: fhirPatientToContact)',
    fmt(naiveM),
    fmt(hmiM),
    `${(hmiM / naiveM).toFixed(2)}×`,
  ]);
  return rows;
}

export function describeLoad(): string {
  return `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${cpus().length} CPUs, Node ${process.version}`;
}

export async function printNaiveComparison(): Promise<void> {
  console.log('\nFHIR Patients → canonical Contact, records per CPU-second — higher is better\n');
  console.log('| measure | naive zod 4 + libphonenumber-js | @hmi/connector-fhir | hmi / naive |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const r of await naiveRows()) console.log(`| ${r.join(' | ')} |`);
  console.log(`\nInterleaved rounds, records per CPU-second (process.cpuUsage); ${describeLoad()}.`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await printNaiveComparison();
