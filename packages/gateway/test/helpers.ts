import { createTelemetry } from '@hmi/core';
import { createMemoryStateStore, type StateStore } from '@hmi/flow';
import { createGateway, type Gateway, type GatewayOptions } from '../src/index.js';

/** A clock tests move by hand. */
export function testClock(start = Date.UTC(2026, 0, 5, 9, 0, 0)) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

export const ALL_SCOPES = [
  'leads:write',
  'contacts:read',
  'contacts:read:phi',
  'contacts:write',
  'consents:write',
  'messages:send',
  'integrations:read',
  'integrations:run',
  'dead-letters:read',
  'dead-letters:read:phi',
  'dead-letters:replay',
  'dead-letters:purge',
  'audit:read',
  'events:read',
];

/** A gateway on a memory store with an injected clock, and helpers to call it. */
export async function setup(overrides: Partial<GatewayOptions> = {}, clock = testClock()) {
  const store: StateStore = createMemoryStateStore({ now: clock.now });
  const telemetry = createTelemetry();
  const gateway: Gateway = createGateway({
    store,
    auth: {},
    now: clock.now,
    ...overrides,
    flow: { telemetry, ...overrides.flow },
  });
  const admin = (await gateway.keys.create({ name: 'admin', scopes: ALL_SCOPES })).key;
  const base = `http://gw.test${overrides.basePath ?? ''}`;
  const call = (
    method: string,
    path: string,
    options: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? admin : options.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    return gateway(new Request(`${base}${path}`, { method, headers, ...(body !== undefined && { body }) }));
  };
  const json = async (response: Response) => (await response.json()) as any;
  return { clock, store, telemetry, gateway, admin, call, json };
}
