import { createTelemetry, type Telemetry } from '@hmi/core';
import { createFhirConnector, type FhirConfigInput } from '@hmi/connector-fhir';
import { createFhirServerFake, type FhirServerFake } from '@hmi/connector-fhir/msw';
import { setupServer } from 'msw/node';

type SetupServerApi = ReturnType<typeof setupServer>;

export const BASE = 'https://fhir.test/R4';
/** A secret canary: must never appear in telemetry or errors. */
export const TOKEN = 'tok_canary_3f9a7c21e8b4d6';

/** One MSW server per test file; a fresh fake per test (`use`). */
export function mswServer(): SetupServerApi {
  return setupServer();
}

export function installFake(
  server: SetupServerApi,
  options: Partial<Parameters<typeof createFhirServerFake>[0]> = {},
): FhirServerFake {
  const fake = createFhirServerFake({ baseUrl: BASE, ...options });
  server.resetHandlers(...fake.handlers);
  return fake;
}

export function connector(config: Partial<FhirConfigInput> = {}, telemetry: Telemetry = createTelemetry()) {
  return createFhirConnector(
    {
      baseUrl: BASE,
      auth: { type: 'bearer', token: TOKEN },
      pageSize: 2,
      defaultRegion: 'SA',
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
      ...config,
    },
    { telemetry },
  );
}

/** Reads a whole stream, returning records and the checkpoint after each page. */
export async function readAll<R, C>(
  handle: { read(o?: { checkpoint?: C }): AsyncIterable<{ records: R[]; checkpoint: C }> },
  checkpoint?: C,
) {
  const records: R[] = [];
  const checkpoints: C[] = [];
  for await (const page of handle.read(checkpoint === undefined ? {} : { checkpoint })) {
    records.push(...page.records);
    checkpoints.push(page.checkpoint);
  }
  return { records, checkpoints, last: checkpoints.at(-1) };
}

/** Search requests (not metadata, not reads) the fake received, as URLs. */
export function searches(fake: FhirServerFake, type = 'Patient'): URL[] {
  return fake.requests
    .map((r) => new URL(r.url))
    .filter((u) => u.pathname.endsWith(`/${type}`) || u.searchParams.has('_getpages'));
}
