import { createWhatsAppConnector, type WhatsAppConfigInput } from '@hmi/connector-whatsapp';
import { createFakeWhatsAppApi, FIXTURE_IDS, type FakeWhatsAppApiOptions } from '@hmi/connector-whatsapp/msw';
import { createTelemetry, type Telemetry } from '@hmi/core';
import { setupServer } from 'msw/node';

/** Secret canaries: must never appear in telemetry or errors. */
export const ACCESS_TOKEN = 'EAAG_WA_CANARY_TOKEN_5d1e7c3a9b';
export const APP_SECRET = 'wa_appsecret_CANARY_8e2f4a61';
export const VERIFY_TOKEN = 'wa_verify_CANARY_3c7d';
/** A Saudi patient. */
export const PATIENT = '+966551234567';
export const T0 = Date.parse('2026-12-03T10:00:00Z');
export const HOUR = 3_600_000;

/** An MSW server with the fake Cloud API, plus a fetch that counts what left the connector. */
export function startFakeWhatsApp(options: FakeWhatsAppApiOptions = {}) {
  const fake = createFakeWhatsAppApi({ accessToken: ACCESS_TOKEN, ...options });
  const server = setupServer(...fake.handlers);
  server.listen({ onUnhandledRequest: 'error' });
  const calls: Request[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    calls.push(input instanceof Request ? input.clone() : new Request(input, init));
    return globalThis.fetch(input, init);
  };
  return { ...fake, server, calls, fetch, close: () => server.close() };
}

/** A clock the test moves, and a sleep that advances it. */
export function fakeTime(start = T0) {
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

/** Creates a WhatsApp connector against the fake, with a private telemetry bus and a fake clock. */
export function connectorFor(
  harness: { fetch: typeof globalThis.fetch },
  config: Partial<WhatsAppConfigInput> = {},
  time = fakeTime(),
  telemetry: Telemetry = createTelemetry(),
) {
  return createWhatsAppConnector(
    {
      accessToken: ACCESS_TOKEN,
      appSecret: APP_SECRET,
      verifyToken: VERIFY_TOKEN,
      phoneNumberId: FIXTURE_IDS.phoneNumberId,
      businessAccountId: FIXTURE_IDS.businessAccountId,
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

/** An in-memory last-inbound store, as a host would back it with its state store. */
export function inboundStore() {
  const map = new Map<string, Date>();
  return {
    map,
    lastInbound: async (e164: string) => map.get(e164),
    recordInbound: async (e164: string, at: Date) => {
      map.set(e164, at);
    },
  };
}
