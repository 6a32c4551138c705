import { join } from 'node:path';
import { createTelemetry } from '@hmi/core';
import { type CapturedCall, createOpenApiValidator, createTestServer, findSpecsDir } from '@hmi/testing';
import { createXConnector, type XConfigInput } from '../src/index.js';
import { createFakeXApi, type FakeXApiOptions } from '../src/msw/index.js';

export const baseUrl = 'https://api.x.test';
export const tokenUrl = `${baseUrl}/2/oauth2/token`;
// Canaries: credentials that must never reach errors or telemetry.
export const clientSecret = 'x-client-secret-CANARY-7f3a9c1e';
export const refreshToken = 'x-refresh-CANARY-2b8d4e6f0a1c';
export const accessToken = 'x-access-CANARY-91ce03b7d5aa';
export const oauth1 = {
  consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
  consumerSecret: 'x-consumer-secret-CANARY-55aa',
  token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
  tokenSecret: 'x-token-secret-CANARY-66bb',
};

/** X's own description, read from ../shared/specs at test time. */
export const spec = createOpenApiValidator(join(findSpecsDir(import.meta.url), 'x', 'openapi.json'));

/** Problem bodies X sends that its published description does not list (`type: about:blank`). */
const outsideSpec = (call: CapturedCall) =>
  (call.response?.body as { type?: string } | undefined)?.type === 'about:blank' || call.response?.fault !== undefined;

/** Every request to the API (not the token endpoint) and every answer, checked against X's description. */
export function assertCallsMatchSpec(calls: readonly CapturedCall[]): number {
  let checked = 0;
  for (const call of calls) {
    if (!call.path.startsWith('/2/') || call.path.startsWith('/2/oauth2/')) continue;
    spec.assertValidRequest(call);
    if (call.response && !outsideSpec(call)) {
      spec.assertValidResponse({
        method: call.method,
        url: call.url,
        status: call.response.status,
        headers: call.response.headers,
        body: call.response.body,
      });
    }
    checked++;
  }
  return checked;
}

export const server = createTestServer({ baseUrl });

/** A clock the test moves; `sleep` advances it instead of waiting. */
export function fakeClock(start = Date.UTC(2025, 9, 3, 8, 0, 0)) {
  const clock = { t: start, sleeps: [] as number[] };
  return {
    clock,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
  };
}

/** An OAuth 2.0 instance against a fresh fake. */
export function setupOAuth2(options: { config?: Partial<XConfigInput>; fake?: FakeXApiOptions; withAccessToken?: boolean } = {}) {
  const time = fakeClock();
  const fake = createFakeXApi({
    baseUrl,
    tokenUrl,
    now: time.now,
    oauth2: {
      clientId: 'hmi-client',
      clientSecret,
      refreshToken,
      accessTokens: options.withAccessToken === false ? [] : [accessToken],
    },
    ...options.fake,
  });
  server.use(...fake.handlers);
  const telemetry = createTelemetry();
  const events: Array<{ name: string; payload: unknown }> = [];
  telemetry.onAny((name, payload) => events.push({ name, payload }));
  const rotated: string[] = [];
  const x = createXConnector(
    {
      auth: {
        type: 'oauth2-user',
        clientId: 'hmi-client',
        clientSecret,
        refreshToken,
        ...(options.withAccessToken !== false && { accessToken }),
        tokenUrl,
        onTokens: (tokens) => {
          if (tokens.refreshToken) rotated.push(tokens.refreshToken);
        },
      },
      baseUrl,
      now: time.now,
      sleep: time.sleep,
      ...options.config,
    } as XConfigInput,
    { telemetry },
  );
  return { fake, x, events, rotated, time, telemetry };
}
