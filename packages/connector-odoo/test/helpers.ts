import { createTelemetry } from '@hmi/core';
import { createTestServer } from '@hmi/testing';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createOdooConnector, type OdooConfigInput } from '../src/index.js';
import { createFakeOdoo, type FakeOdooOptions, seedOdoo } from '../src/msw/index.js';

export const baseUrl = 'https://erp.hospital.test';
export const apiKey = 'odoo_key_5f0c2a9e7d1b44';
export const database = 'hospital';
export const login = 'integration@hospital.example';

/** Both protocols: every scenario runs on each. */
export const PROTOCOLS = ['json2', 'jsonrpc'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** One MSW server per test file, reset after each test. */
export function useServer() {
  const server = createTestServer({ baseUrl });
  beforeAll(() => server.listen());
  afterEach(() => server.reset());
  afterAll(() => server.close());
  return server;
}

/** A fresh fake (seeded) and a connector on `protocol`, with telemetry captured. */
export function setup(
  server: ReturnType<typeof createTestServer>,
  protocol: Protocol,
  config: Partial<OdooConfigInput> = {},
  fakeOptions: FakeOdooOptions = {},
) {
  let clock = Date.parse('2025-05-01T10:00:00Z');
  const fake = createFakeOdoo({ baseUrl, apiKey, database, login, now: () => new Date(clock), ...fakeOptions });
  server.use(...fake.handlers);
  const seeded = seedOdoo(fake.state);
  const telemetry = createTelemetry();
  const events: unknown[] = [];
  telemetry.onAny((name, payload) => events.push({ name, payload }));
  const odoo = createOdooConnector({ baseUrl, apiKey, database, login, protocol, ...config } as OdooConfigInput, { telemetry });
  return { fake, seeded, odoo, events, tick: (ms = 1000) => (clock += ms) };
}
