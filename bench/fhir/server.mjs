// The loopback FHIR server of the streaming benchmark. Runs in its own process (forked by
// index.ts) so that its memory and event loop are not counted against the client. It generates
// `TOTAL` patients on the fly, sorted by _lastUpdated, honours `_lastUpdated=ge…` and pages with
// an opaque cursor link, as a real server would.
import { createServer } from 'node:http';
import { bundle, lastUpdatedOf } from './patients.mjs';

const TOTAL = Number(process.env.FHIR_BENCH_TOTAL ?? 100_000);

/** The first index whose lastUpdated is >= the instant (binary search: they ascend). */
function firstAtOrAfter(ms) {
  let lo = 0;
  let hi = TOTAL;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Date.parse(lastUpdatedOf(mid)) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const base = `http://127.0.0.1:${server.address().port}/fhir`;
  let body;
  if (url.pathname === '/fhir/metadata') {
    body = {
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: '2025-01-01',
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: ['json'],
      rest: [{ mode: 'server', searchParam: [{ name: '_elements', type: 'string' }] }],
    };
  } else if (url.pathname === '/fhir/Patient' || url.pathname === '/fhir') {
    const count = Math.min(Number(url.searchParams.get('_count') ?? 100), 1000);
    let from = Number(url.searchParams.get('_cursor') ?? 0);
    const since = url.searchParams.get('_lastUpdated');
    if (!url.searchParams.has('_cursor') && since?.startsWith('ge')) from = firstAtOrAfter(Date.parse(since.slice(2)));
    const to = Math.min(from + count, TOTAL);
    const next = to < TOTAL ? `${base}?_cursor=${to}&_count=${count}` : undefined;
    body = bundle(from, to, base, next);
  } else {
    res.writeHead(404, { 'content-type': 'application/fhir+json' });
    res.end('{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}');
    return;
  }
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(200, { 'content-type': 'application/fhir+json', 'content-length': bytes.length });
  res.end(bytes);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
