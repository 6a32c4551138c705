import { createTelemetry, type Telemetry } from '@hmi/core';
import { createGa4Connector, type Ga4ConfigInput } from '@hmi/connector-ga4';
import { createFakeGa4, createFakeServiceAccount, type FakeGa4Options } from '@hmi/connector-ga4/msw';
import { createDiscoveryValidator, findSpecsDir } from '@hmi/testing';
import { setupServer } from 'msw/node';
import { join } from 'node:path';

/** Secret canaries: must never appear in telemetry, errors or logs. */
export const API_SECRET = 'mpsecret_CANARY_7f3a9c2e';
export const ACCESS_TOKEN = 'ya29.CANARY_host_token_51b2';
export const PROPERTY_ID = '123456789';
export const MEASUREMENT_ID = 'G-HMI0TEST1';
export const NOW = new Date('2026-03-10T09:00:00Z');

/** The Discovery documents Google publishes, read from ../shared/specs at test time. */
export function ga4Specs() {
  const dir = join(findSpecsDir(import.meta.url), 'google-analytics');
  return {
    data: createDiscoveryValidator(join(dir, 'analyticsdata.v1beta.json')),
    admin: createDiscoveryValidator(join(dir, 'analyticsadmin.v1beta.json')),
  };
}

/** An MSW server running the fake GA4 (with a real RSA service account). */
export function startFakeGa4(options: FakeGa4Options = {}) {
  const account = createFakeServiceAccount();
  const fake = createFakeGa4({
    propertyId: PROPERTY_ID,
    measurementId: MEASUREMENT_ID,
    apiSecret: API_SECRET,
    accessTokens: [ACCESS_TOKEN],
    serviceAccountPublicKey: account.publicKeyPem,
    serviceAccountEmail: account.client_email,
    now: () => NOW,
    ...options,
  });
  const server = setupServer(...fake.handlers);
  server.listen({ onUnhandledRequest: 'error' });
  return { ...fake, account, server, close: () => server.close() };
}

/** A connector against the fake: host token by default, short retry waits. */
export function ga4For(config: Partial<Ga4ConfigInput> = {}, telemetry: Telemetry = createTelemetry()) {
  return createGa4Connector(
    {
      propertyId: PROPERTY_ID,
      measurementId: MEASUREMENT_ID,
      apiSecret: API_SECRET,
      ...(config.serviceAccount ? {} : { accessToken: ACCESS_TOKEN }),
      retry: { retries: 3, minDelayMs: 1, maxDelayMs: 5 },
      now: () => NOW.getTime(),
      ...config,
    },
    { telemetry },
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
