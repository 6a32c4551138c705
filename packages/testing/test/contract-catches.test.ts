import { describe, expect, it } from 'vitest';
import type { Telemetry } from '@hmi/core';
import { HttpResponse, http } from 'msw';
import { type ConnectorContractFixtures, ContractViolation, createConnectorContract, createLeakRecorder } from '@hmi/testing';
import { type Flaw, makeRemindersConnector, SECRET_CANARY } from './fixtures/reminders-connector.js';
import { remindersFixtures } from './fixtures/reminders-fixtures.js';

type Fixtures = ConnectorContractFixtures<ReturnType<typeof makeRemindersConnector>>;

/** Runs the contract checks whose names start with `prefix`; returns the first violation. */
async function violationOf(flaw: Flaw, prefix: string, overrides: Partial<Fixtures> = {}): Promise<unknown> {
  const contract = createConnectorContract(makeRemindersConnector(flaw), remindersFixtures(overrides));
  const checks = contract.checks.filter((c) => c.name.startsWith(prefix));
  expect(checks.length).toBeGreaterThan(0);
  contract.setup();
  try {
    for (const check of checks) await check.run();
    return undefined;
  } catch (error) {
    return error;
  } finally {
    contract.teardown();
  }
}

describe('the contract catches broken connectors (each flaw fails exactly the rule it breaks)', () => {
  it('the well-behaved connector passes every check when run outside the vitest helper', async () => {
    const contract = createConnectorContract(makeRemindersConnector(), remindersFixtures());
    contract.setup();
    try {
      for (const check of contract.checks) await check.run();
    } finally {
      contract.teardown();
    }
    expect(contract.checks.length).toBe(14);
  });

  it('an error that quotes the vendor message (which echoes the request) leaks canaries', async () => {
    const error = await violationOf('leaks-vendor-message', 'createReminder: a vendor error');
    expect(error).toBeInstanceOf(ContractViolation);
    expect((error as Error).message).toMatch(/ApiError exposes a canary value \((the secret canary|PHI canary #\d)\)/);
    expect((error as Error).message).not.toContain(SECRET_CANARY);
  });

  it('a connector that loops on 5xx without an idempotency key is caught by counting requests', async () => {
    const error = await violationOf('retries-without-key', 'createReminder: under 5xx faults');
    expect((error as Error).message).toMatch(
      /POST https:\/\/api\.reminders\.test\/v1\/reminders was sent 3 times \(1 without faults\) but not every attempt carried an idempotency-key header/,
    );
  });

  it('a connector that retries with a fresh key per attempt is caught', async () => {
    const error = await violationOf('retries-with-new-keys', 'createReminder: under 5xx faults');
    expect((error as Error).message).toMatch(/retried with different idempotency-key values/);
  });

  it("a connector that replaces the caller's idempotency key is caught", async () => {
    const error = await violationOf('ignores-caller-key', 'createReminder: under 5xx faults');
    expect((error as Error).message).toMatch(/under its own key instead of the caller's idempotencyKey/);
  });

  it('a connector that calls the API before validating input is caught', async () => {
    const error = await violationOf('sends-before-validating', 'createReminder: invalid input');
    expect((error as Error).message).toMatch(/invalid input #0 sent 1 request\(s\) \(POST \/v1\/reminders\) before validating/);
  });

  it("a request the vendor's spec rejects fails the contract, naming the field", async () => {
    const error = await violationOf('misnames-field', 'createReminder: valid input');
    const message = (error as Error).message;
    expect(message).toMatch(/traffic does not match the vendor's OpenAPI description/);
    expect(message).toMatch(/body\.recipient\.phone: is required/);
    expect(message).toMatch(/body\.recipient\.phone_number: is not allowed here/);
  });

  it('a fixture response the spec rejects fails the contract too', async () => {
    const base = remindersFixtures();
    const error = await violationOf('none', 'getReminder: valid input', {
      actions: {
        ...base.actions,
        getReminder: {
          ...base.actions.getReminder,
          routes: [
            { method: 'GET', path: '/reminders/:id', respond: { json: { id: 'REM-1A2B', status: 'sent', channel: 'sms' } } },
          ],
        },
      },
    });
    // The connector's own zod schema accepts any id; the vendor's spec says `^rem_[a-z0-9]+$`.
    expect((error as Error).message).toMatch(
      /fixture response 200 to GET \/v1\/reminders\/rem_1a2b:\n\s+- body\.id: must match pattern/,
    );
  });

  it('a request no fixture answers fails the contract and is named', async () => {
    const base = remindersFixtures();
    const error = await violationOf('none', 'getReminder: valid input', {
      actions: {
        ...base.actions,
        getReminder: { ...base.actions.getReminder, routes: [{ method: 'GET', path: '/elsewhere', respond: { json: {} } }] },
      },
    });
    expect((error as Error).message).toMatch(/unhandled requests: GET https:\/\/api\.reminders\.test\/v1\/reminders\/rem_1a2b/);
  });

  it('a ConfigError that quotes the API key is caught', async () => {
    const error = await violationOf('leaks-secret-in-config-error', 'config: wrong prefix', {
      invalidConfigs: [
        { name: 'wrong prefix', config: (baseUrl) => ({ apiKey: `xx${SECRET_CANARY}`, baseUrl }), field: 'apiKey' },
      ],
    });
    expect((error as Error).message).toMatch(/ConfigError exposes a canary value \(the secret canary\)/);
  });

  it('a ConfigError that does not name the expected field is caught', async () => {
    const error = await violationOf('none', 'config: short key', {
      invalidConfigs: [{ name: 'short key', config: (baseUrl) => ({ apiKey: 'short', baseUrl }), field: 'baseUrl' }],
    });
    expect((error as Error).message).toMatch(/does not name "baseUrl"/);
  });

  it('fixtures whose config lacks the secret canary are refused (the scan would prove nothing)', async () => {
    const error = await violationOf('none', 'fixtures:', {
      config: (baseUrl) => ({ apiKey: 'rk_live_something_else', baseUrl }),
    });
    expect((error as Error).message).toMatch(/must contain canaries\.secret/);
  });

  it('fixtures that miss an action are refused', async () => {
    const base = remindersFixtures();
    const error = await violationOf('none', 'fixtures:', { actions: { createReminder: base.actions.createReminder } as never });
    expect((error as Error).message).toMatch(/must list exactly the connector's actions \(createReminder, getReminder\)/);
  });
});

describe('fixtures', () => {
  it("may answer with plain MSW handlers (a connector package's ./msw export) instead of routes", async () => {
    const base = remindersFixtures();
    const handlers = [
      http.get('https://api.reminders.test/v1/reminders/:id', () =>
        HttpResponse.json({ id: 'rem_1a2b', status: 'sent', channel: 'sms' }),
      ),
    ];
    const contract = createConnectorContract(
      makeRemindersConnector(),
      remindersFixtures({
        actions: { ...base.actions, getReminder: { input: { id: 'rem_1a2b' }, invalidInputs: [{}], handlers } },
      }),
    );
    contract.setup();
    try {
      const valid = contract.checks.find((c) => c.name.startsWith('getReminder: valid input'))!;
      await valid.run();
      expect(contract.server.calls.map((c) => c.route)).toEqual(['handler']);
      for (const check of contract.checks.filter((c) => c.name.startsWith('getReminder'))) await check.run();
    } finally {
      contract.teardown();
    }
  });

  it("type action inputs by the connector's own schemas", () => {
    type CreateInput = Fixtures['actions']['createReminder']['input'];
    const ok: CreateInput = { phone: '+966555123456', sendAt: '2026-12-01T09:30:00Z', channel: 'sms' };
    // @ts-expect-error 'pigeon' is not a channel of the connector's input schema
    const wrong: CreateInput = { phone: '+966555123456', sendAt: '2026-12-01T09:30:00Z', channel: 'pigeon' };
    // @ts-expect-error every action needs a fixture
    const missing: Fixtures['actions'] = { createReminder: remindersFixtures().actions.createReminder };
    expect([ok, wrong, missing]).toHaveLength(3);
  });
});

describe('createLeakRecorder', () => {
  it('finds a canary in an error cause', () => {
    const recorder = createLeakRecorder();
    recorder.error(new Error('outer', { cause: new Error('inner +966555123456') }));
    expect(() => recorder.assertClean(['secret-canary-x', '+966555123456'])).toThrow(/PHI canary #1/);
  });

  it('finds a canary in a telemetry payload (a bus that did not redact it)', () => {
    const recorder = createLeakRecorder();
    const unredacted = {
      onAny(listener: (name: string, payload: unknown) => void) {
        listener('request:end', { url: 'https://api.test/patients?name=فاطمة الحربي' });
        return () => {};
      },
    } as unknown as Telemetry;
    recorder.watch(unredacted);
    expect(() => recorder.assertClean(['secret-canary-x', 'فاطمة الحربي'])).toThrow(
      /telemetry event "request:end" contains a canary value \(PHI canary #1\)/,
    );
    expect(() => recorder.assertClean(['secret-canary-x', 'someone-else'])).not.toThrow();
  });
});
