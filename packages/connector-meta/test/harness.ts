import { createMetaConnector, type MetaConfigInput } from '@hmi/connector-meta';
import { createFakeGraphApi, FIXTURE_IDS, type FakeGraphApiOptions } from '@hmi/connector-meta/msw';
import { createTelemetry, type Telemetry } from '@hmi/core';
import { setupServer } from 'msw/node';

/** Secret canaries: must never appear in telemetry or errors. */
export const ACCESS_TOKEN = 'EAAG_CANARY_TOKEN_7f3a9c2e1d4b';
export const APP_SECRET = 'appsecret_CANARY_51c9e0a7';
export const VERIFY_TOKEN = 'verify_CANARY_2b8d6f';
export const BASE_URL = 'https://graph.facebook.com';

/** An MSW server with the fake Graph API, plus a fetch that counts what left the connector. */
export function startFakeGraph(options: FakeGraphApiOptions = {}) {
  const fake = createFakeGraphApi({ accessToken: ACCESS_TOKEN, ...options });
  const server = setupServer(...fake.handlers);
  server.listen({ onUnhandledRequest: 'error' });
  const calls: Request[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    calls.push(input instanceof Request ? input.clone() : new Request(input, init));
    return globalThis.fetch(input, init);
  };
  return { ...fake, server, calls, fetch, close: () => server.close() };
}

/** A fake clock and a sleep that records what it was asked to wait and advances the clock. */
export function fakeTime(start = Date.parse('2026-12-03T10:00:00Z')) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** Creates a Meta connector against the fake, with a private telemetry bus. */
export function connectorFor(
  harness: { fetch: typeof globalThis.fetch },
  config: Partial<MetaConfigInput> = {},
  telemetry: Telemetry = createTelemetry(),
) {
  const time = fakeTime();
  return createMetaConnector(
    {
      accessToken: ACCESS_TOKEN,
      appId: FIXTURE_IDS.appId,
      appSecret: APP_SECRET,
      verifyToken: VERIFY_TOKEN,
      pageId: FIXTURE_IDS.pageId,
      instagramAccountId: FIXTURE_IDS.instagramAccountId,
      adAccountId: FIXTURE_IDS.adAccountId,
      now: time.now,
      sleep: time.sleep,
      ...config,
    },
    { fetch: harness.fetch, telemetry },
  );
}

/** Awaits a promise expected to reject and returns the error. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Collects every record of a stream read. */
export async function collect<T>(pages: AsyncIterable<{ records: T[] }>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page.records);
  return out;
}
