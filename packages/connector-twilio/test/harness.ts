import { createTelemetry, type Telemetry } from '@hmi/core';
import { createTwilioConnector, type TwilioConfigInput } from '@hmi/connector-twilio';
import {
  FIXTURE_ACCOUNT_SID,
  FIXTURE_MESSAGING_SERVICE_SID,
  createFakeTwilio,
  type FakeTwilioOptions,
} from '@hmi/connector-twilio/msw';
import { setupServer } from 'msw/node';

/** A secret canary: must never appear in telemetry or errors. */
export const AUTH_TOKEN = 'tok_CANARY_9f2c4e7a1b3d5f60';
export const BASE_URL = 'https://api.twilio.com';

/** An MSW server with the fake Twilio, plus a fetch that counts every request the connector makes. */
export function startFakeTwilio(options: FakeTwilioOptions = {}) {
  const fake = createFakeTwilio({ credentials: [{ username: FIXTURE_ACCOUNT_SID, password: AUTH_TOKEN }], ...options });
  const server = setupServer(...fake.handlers);
  server.listen({ onUnhandledRequest: 'error' });
  const calls: Request[] = [];
  // Wraps the MSW-patched global fetch, so a request counted here is one that left the connector.
  const fetch: typeof globalThis.fetch = (input, init) => {
    // ky passes a Request (plus an init without a body): clone it so the real fetch can still read it.
    calls.push(input instanceof Request ? input.clone() : new Request(input, init));
    return globalThis.fetch(input, init);
  };
  return { ...fake, requests: fake.state.requests, server, calls, fetch, close: () => server.close() };
}

/** Creates a connector against the fake, with a private telemetry bus. */
export function connectorFor(
  harness: { fetch: typeof globalThis.fetch },
  config: Partial<TwilioConfigInput> = {},
  telemetry: Telemetry = createTelemetry(),
) {
  const base: TwilioConfigInput = {
    accountSid: FIXTURE_ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    defaultRegion: 'SA',
    baseUrl: BASE_URL,
  };
  const withSender =
    config.from === undefined && config.messagingServiceSid === undefined
      ? { messagingServiceSid: FIXTURE_MESSAGING_SERVICE_SID }
      : {};
  return createTwilioConnector({ ...base, ...withSender, ...config } as TwilioConfigInput, { fetch: harness.fetch, telemetry });
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
