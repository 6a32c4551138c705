// A first look at hmi: the core's HTTP client against a local server that fails twice, rate
// limits once, then answers. It shows the retries, the Retry-After wait and the typed errors.
// The full hospital demo (EHR → CRM → SMS/email → payments) replaces this as connectors land.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { createHttpClient, createTelemetry, isHmiError } from '@hmi/core';

const replies = [503, 503, 429, 200];
const server = createServer((req, res) => {
  const status = replies.shift() ?? 200;
  res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 && { 'retry-after': '1' }) });
  res.end(status === 200 ? JSON.stringify({ id: 'p1', name: { ar: 'فاطمة الحربي', en: 'Fatima Al-Harbi' } }) : '{}');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

const telemetry = createTelemetry();
telemetry.on('request:end', (e) => console.log(`  → attempt ${e.attempt}: ${e.status ?? e.errorCode} in ${e.durationMs.toFixed(0)} ms`));
telemetry.on('retry', (e) => console.log(`  ↻ retrying (${e.reason}) after ${e.waitMs} ms`));

const client = createHttpClient({
  baseUrl: `http://127.0.0.1:${port}`,
  allowInsecureHttp: true, // loopback only: real vendors are https
  auth: { type: 'bearer', token: 'demo-token-not-a-secret' },
  retry: { retries: 4, minDelayMs: 100, maxDelayMs: 1000 },
  telemetry,
});

console.log('GET /patient/p1 through 503, 503, 429 (Retry-After: 1), 200:');
const patient = await client.request({
  path: '/patient/p1',
  schema: z.object({ id: z.string(), name: z.object({ ar: z.string(), en: z.string() }) }),
});
console.log(`  ✓ ${patient.name.ar} / ${patient.name.en}`);

console.log('POST without an idempotency key is never retried:');
replies.push(503);
try {
  await client.request({ method: 'POST', path: '/payments', json: { amount: 100 } });
} catch (error) {
  if (isHmiError(error)) console.log(`  ✓ ${error.name} ${error.code} status=${error.status} retryable=${error.retryable}`);
}
server.close();
