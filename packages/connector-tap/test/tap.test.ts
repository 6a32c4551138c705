// What the contract does not cover: exact three-decimal amounts both ways, idempotent retries
// through a 500, the stream's window and resume, the description check and the secret canaries.
import { createTelemetry, isHmiError, ValidationError } from '@hmi/core';
import { createTestServer } from '@hmi/testing';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTapConnector, formatTapAmount, fromTapAmount, toTapAmount } from '../src/index.js';
import { createFakeTapApi } from '../src/msw/index.js';

const baseUrl = 'https://api.tap.test';
const secretKey = 'sk_test_CANARYtapSuite0000001';
const server = createTestServer({ baseUrl });

beforeAll(() => server.listen());
afterEach(() => server.reset());
afterAll(() => server.close());

function setup() {
  let clock = Date.parse('2025-03-01T09:00:00.000Z');
  const fake = createFakeTapApi({ baseUrl, secretKey, now: () => new Date((clock += 1000)) });
  server.use(...fake.handlers);
  const telemetry = createTelemetry();
  const events: unknown[] = [];
  telemetry.onAny((name, payload) => events.push({ name, payload }));
  const tap = createTapConnector(
    { secretKey, baseUrl, pageSize: 10, descriptionVocabulary: ['diabetes', 'السكري'] },
    { telemetry },
  );
  return { fake, tap, events };
}

const customer = { id: 'cus_TS01A0000001' };
const base = { customer, redirectUrl: 'https://crm.hospital.example/return' };

describe('amounts in minor units', () => {
  it('0.125 KWD ↔ 125 and 150.50 SAR ↔ 15050, exactly', () => {
    expect(fromTapAmount(0.125, 'KWD')).toBe(125);
    expect(toTapAmount(125, 'KWD')).toBe(0.125);
    expect(fromTapAmount(150.5, 'SAR')).toBe(15050);
    expect(fromTapAmount('150.50', 'SAR')).toBe(15050);
    expect(toTapAmount(15050, 'SAR')).toBe(150.5);
    expect(formatTapAmount(1.5, 'KWD')).toBe('1.500');
    expect(formatTapAmount(150.5, 'SAR')).toBe('150.50');
    expect(fromTapAmount(12.345, 'BHD')).toBe(12345);
    expect(fromTapAmount(0.001, 'OMR')).toBe(1);
  });

  it('refuses more decimals than the currency has instead of rounding', () => {
    expect(() => fromTapAmount(0.1255, 'KWD')).toThrow(ValidationError);
    expect(() => fromTapAmount(150.505, 'SAR')).toThrow(ValidationError);
  });

  it('round-trips every minor amount through Tap’s decimal, and through JSON (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 12 }),
        fc.constantFrom('KWD', 'BHD', 'OMR', 'SAR', 'AED', 'EGP', 'JPY'),
        (minor, currency) => {
          const wire = JSON.parse(JSON.stringify({ amount: toTapAmount(minor, currency) })).amount as number;
          expect(fromTapAmount(wire, currency)).toBe(minor);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a KWD charge is sent as 0.125 and read back as 125', async () => {
    const { fake, tap } = setup();
    const charge = await tap.actions.createCharge({ ...base, amountMinor: 125, currency: 'KWD', sourceId: 'src_kw.knet' });
    expect((fake.state.requests[0]!.body as { amount: number }).amount).toBe(0.125);
    expect(charge).toMatchObject({ amountMinor: 125, currency: 'KWD', method: 'knet', status: 'requires_action' });
    expect(charge.transactionUrl).toMatch(/^https:\/\//);
  });
});

describe('idempotency (reference.idempotent)', () => {
  it('a 500 after Tap made the charge, then the retry: one key, one charge, the original returned', async () => {
    const { fake, tap } = setup();
    fake.state.failNext({ status: 500, afterProcessing: true, match: 'POST /v2/charges' });
    const charge = await tap.actions.createCharge(
      { ...base, amountMinor: 15050, currency: 'SAR', sourceId: 'tok_ABCDEF123456', threeDSecure: false },
      { idempotencyKey: 'visit-APT-7781-payment' },
    );
    const posts = fake.state.requests.filter((r) => r.method === 'POST' && r.path === '/v2/charges');
    expect(posts).toHaveLength(2);
    expect(new Set(posts.map((r) => (r.body as { reference: { idempotent: string } }).reference.idempotent))).toEqual(
      new Set(['visit-APT-7781-payment']),
    );
    expect(fake.state.charges.size).toBe(1);
    expect(charge).toMatchObject({ status: 'succeeded', amountMinor: 15050, currency: 'SAR' });
  });

  it('refunds are keyed the same way: a lost response does not refund twice', async () => {
    const { fake, tap } = setup();
    const chg = fake.state.addCharge({ amount: 1, currency: 'KWD' });
    fake.state.failNext({ status: 502, afterProcessing: true, match: 'POST /v2/refunds' });
    const refund = await tap.actions.createRefund(
      { chargeId: chg.id, amountMinor: 500, currency: 'KWD' },
      { idempotencyKey: 'refund-1' },
    );
    expect(refund).toMatchObject({ amountMinor: 500, currency: 'KWD', chargeId: chg.id });
    expect(fake.state.refunds.size).toBe(1);
  });

  it('authorize, capture by auth_ source, and void reconciled after a lost response', async () => {
    const { fake, tap } = setup();
    const auth = await tap.actions.createAuthorize({
      ...base,
      amountMinor: 2500,
      currency: 'BHD',
      sourceId: 'tok_ABCDEF123456',
      threeDSecure: false,
    });
    expect(auth).toMatchObject({ kind: 'authorize', tapStatus: 'AUTHORIZED', status: 'pending', amountMinor: 2500 });
    const auth2 = await tap.actions.createAuthorize({
      ...base,
      amountMinor: 700,
      currency: 'OMR',
      sourceId: 'tok_ABCDEF123457',
      threeDSecure: false,
    });
    fake.state.failNext({ status: 500, afterProcessing: true, match: 'POST /v2/authorize/' });
    const voided = await tap.actions.voidAuthorize({ id: auth2.id });
    expect(voided).toMatchObject({ tapStatus: 'VOID', status: 'canceled' });
    expect(fake.state.requests.filter((r) => r.path.endsWith('/void'))).toHaveLength(1);
    const capture = await tap.actions.createCharge({ ...base, amountMinor: 2500, currency: 'BHD', sourceId: auth.id });
    expect(capture).toMatchObject({ status: 'succeeded', amountMinor: 2500 });
  });

  it('a decline is a failed payment carrying Tap’s response code', async () => {
    const { tap } = setup();
    const charge = await tap.actions.createCharge({
      ...base,
      amountMinor: 15050,
      currency: 'SAR',
      sourceId: 'tok_declined0001',
      threeDSecure: false,
    });
    expect(charge).toMatchObject({ status: 'failed', failureCode: 'tap_051' });
  });
});

describe('charges stream', () => {
  it('reads a window with the cursor, resumes mid-window, then sees only newer charges', async () => {
    const { fake, tap } = setup();
    const t0 = Date.parse('2025-02-01T00:00:00Z');
    for (let i = 0; i < 25; i++) {
      fake.state.addCharge({
        id: `chg_TS${String(i).padStart(6, '0')}`,
        transaction: { created: String(t0 + i * 60_000), url: null },
      });
    }
    const seen: string[] = [];
    let checkpoint: unknown;
    for await (const page of tap.streams.charges.read()) {
      seen.push(...page.records.map((r) => r.id));
      checkpoint = page.checkpoint;
      if (seen.length === 10) break;
    }
    for await (const page of tap.streams.charges.read({ checkpoint: checkpoint as never })) {
      seen.push(...page.records.map((r) => r.id));
      checkpoint = page.checkpoint;
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect((checkpoint as { to: null }).to).toBeNull();
    // The next window, with its end fixed by the test instead of the wall clock.
    const from = (checkpoint as { from: number }).from;
    fake.state.addCharge({ id: 'chg_TSNEW0001', transaction: { created: String(from + 5), url: null } });
    fake.state.addCharge({ id: 'chg_TSOLD0001', transaction: { created: String(from - 1), url: null } });
    const next: string[] = [];
    for await (const page of tap.streams.charges.read({ checkpoint: { from, to: from + 10_000, after: null } })) {
      next.push(...page.records.map((r) => r.id));
    }
    expect(next).toEqual(['chg_TSNEW0001']);
  });
});

describe('description check and secrets', () => {
  it('refuses diagnoses before any request, never echoing the text', async () => {
    const { fake, tap } = setup();
    for (const description of ['Follow-up E11.9', 'Diabetes clinic', 'عيادة السكري']) {
      const error = await tap.actions
        .createCharge({ ...base, amountMinor: 125, currency: 'KWD', sourceId: 'src_kw.knet', description })
        .catch((e: unknown) => e);
      expect(ValidationError.isInstance(error)).toBe(true);
      expect(JSON.stringify(error)).not.toContain(description);
    }
    expect(fake.state.requests).toHaveLength(0);
  });

  it('the secret key never reaches telemetry or errors', async () => {
    const { tap, events } = setup();
    await tap.actions.createCharge({ ...base, amountMinor: 125, currency: 'KWD', sourceId: 'src_kw.knet' });
    const bad = createTapConnector({ secretKey: 'sk_test_CANARYwrongTapKey001', baseUrl });
    const error = await bad.actions.retrieveCharge({ id: 'chg_TS000001' }).catch((e: unknown) => e);
    expect(isHmiError(error) && error.name).toBe('AuthError');
    const text = JSON.stringify(events) + JSON.stringify(error) + String((error as Error).stack);
    expect(text).not.toContain('CANARYtapSuite');
    expect(text).not.toContain('CANARYwrongTapKey');
  });
});
