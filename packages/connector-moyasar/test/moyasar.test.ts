// What the contract does not cover: given_id idempotency through a 500, declines, the stream's
// window and resume, keyless writes reconciled, the description check and the secret canaries.
import { createTelemetry, findDiagnosisInText, isHmiError, ValidationError } from '@hmi/core';
import { createTestServer } from '@hmi/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMoyasarConnector, givenIdFor } from '../src/index.js';
import { createFakeMoyasarApi } from '../src/msw/index.js';

const baseUrl = 'https://api.moyasar.test';
const secretKey = 'sk_test_CANARYsecretKey7f3a9b';
const server = createTestServer({ baseUrl });

beforeAll(() => server.listen());
afterEach(() => server.reset());
afterAll(() => server.close());

function setup(options: { descriptionVocabulary?: string[]; start?: number } = {}) {
  let clock = options.start ?? Date.parse('2025-03-01T09:00:00.000Z');
  const fake = createFakeMoyasarApi({ baseUrl, secretKey, now: () => new Date((clock += 1000)) });
  server.use(...fake.handlers);
  const telemetry = createTelemetry();
  const events: unknown[] = [];
  telemetry.onAny((name, payload) => events.push({ name, payload }));
  const moyasar = createMoyasarConnector(
    {
      secretKey,
      baseUrl,
      webhookSecret: 'whsec_moyasar_test_secret_42',
      ...(options.descriptionVocabulary && { descriptionVocabulary: options.descriptionVocabulary }),
    },
    { telemetry },
  );
  return { fake, moyasar, events };
}

const stcPay = { type: 'stcpay', mobile: '+966555123456' } as const;
const token = (t: string) => ({ type: 'token', token: t, threeDs: false }) as const;

describe('createPayment: given_id idempotency', () => {
  it('a 500 after Moyasar made the payment, then the retry: one given_id, one payment, returned', async () => {
    const { fake, moyasar } = setup();
    fake.state.failNext({ status: 500, afterProcessing: true, match: 'POST /v1/payments' });
    const payment = await moyasar.actions.createPayment(
      {
        amountMinor: 15050,
        source: token('token_mada12345678'),
        callbackUrl: 'https://crm.example/return',
        contactId: 'crm-contact-17',
      },
      { idempotencyKey: 'visit-APT-7781-payment' },
    );
    const posts = fake.state.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payments');
    expect(posts).toHaveLength(2);
    const ids = posts.map((r) => (r.body as { given_id: string }).given_id);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toBe(givenIdFor('visit-APT-7781-payment'));
    expect(fake.state.payments.size).toBe(1);
    expect(payment).toMatchObject({
      id: ids[0],
      status: 'succeeded',
      method: 'mada',
      amountMinor: 15050,
      currency: 'SAR',
      contactId: 'crm-contact-17',
    });
  });

  it('a 503 before processing is retried with the same given_id and creates the payment once', async () => {
    const { fake, moyasar } = setup();
    fake.state.failNext({ status: 503, match: 'POST /v1/payments' });
    const key = '3f0c9a52-7d41-4e8b-a1c2-9b8d7e6f5a40';
    const payment = await moyasar.actions.createPayment(
      { amountMinor: 20000, source: { type: 'applepay', token: 'eyJ2ZXJzaW9uIjoiRUNfdjEi...' } },
      { idempotencyKey: key },
    );
    expect(payment.id).toBe(key);
    expect(payment.method).toBe('applepay');
    expect(fake.state.payments.size).toBe(1);
  });

  it('the same key with a different amount is an idempotency conflict, not a second payment', async () => {
    const { fake, moyasar } = setup();
    await moyasar.actions.createPayment({ amountMinor: 15050, source: stcPay }, { idempotencyKey: 'k-1' });
    const error = await moyasar.actions
      .createPayment({ amountMinor: 99999, source: stcPay }, { idempotencyKey: 'k-1' })
      .catch((e: unknown) => e);
    expect(isHmiError(error) && error.code).toBe('idempotency_conflict');
    expect(fake.state.payments.size).toBe(1);
  });

  it('given ids derived from keys are stable UUIDs; UUID keys pass through', () => {
    expect(givenIdFor('visit-1')).toBe(givenIdFor('visit-1'));
    expect(givenIdFor('visit-1')).not.toBe(givenIdFor('visit-2'));
    expect(givenIdFor('visit-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(givenIdFor('3F0C9A52-7D41-4E8B-A1C2-9B8D7E6F5A40')).toBe('3f0c9a52-7d41-4e8b-a1c2-9b8d7e6f5a40');
  });
});

describe('payments', () => {
  it('a decline is a failed Payment with a stable reason, not an error', async () => {
    const { moyasar } = setup();
    const payment = await moyasar.actions.createPayment({
      amountMinor: 15050,
      source: token('token_declined0001'),
      callbackUrl: 'https://crm.example/r',
    });
    expect(payment).toMatchObject({ status: 'failed', declineReason: 'insufficient_funds', failureCode: 'insufficient_funds' });
  });

  it('3-D Secure and STC Pay come back requires_action with the URL to finish at', async () => {
    const { moyasar } = setup();
    const card = await moyasar.actions.createPayment({
      amountMinor: 15050,
      source: { type: 'token', token: 'token_3ds000000001' },
      callbackUrl: 'https://crm.example/r',
    });
    expect(card.status).toBe('requires_action');
    expect(card.transactionUrl).toMatch(/^https:\/\/api\.moyasar\.com\/v1\/transaction_auths\//);
    const stc = await moyasar.actions.createPayment({ amountMinor: 15050, source: stcPay });
    expect(stc).toMatchObject({ status: 'requires_action', method: 'stcpay' });
  });

  it('sends halalas as given and the STC Pay mobile in Moyasar’s local form', async () => {
    const { fake, moyasar } = setup();
    await moyasar.actions.createPayment({ amountMinor: 15050, source: stcPay });
    const body = fake.state.requests.at(-1)!.body as { amount: number; source: { mobile: string } };
    expect(body.amount).toBe(15050);
    expect(body.source.mobile).toBe('0555123456');
    // As patients type it: spaces, 00 prefix, Arabic-Indic digits.
    for (const mobile of ['+966 55 512 3456', '00966555123456', '٠٥٥٥١٢٣٤٥٦']) {
      await moyasar.actions.createPayment({ amountMinor: 15050, source: { type: 'stcpay', mobile } });
      expect((fake.state.requests.at(-1)!.body as { source: { mobile: string } }).source.mobile).toBe('0555123456');
    }
    const egyptian = await moyasar.actions
      .createPayment({ amountMinor: 15050, source: { type: 'stcpay', mobile: '+201001234567' } })
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(egyptian)).toBe(true);
  });

  it('manual payments: authorize, capture part, refund part', async () => {
    const { moyasar } = setup();
    const auth = await moyasar.actions.createPayment({
      amountMinor: 50000,
      source: { type: 'token', token: 'token_mada12345678', threeDs: false, manual: true },
      callbackUrl: 'https://crm.example/r',
    });
    expect(auth).toMatchObject({ moyasarStatus: 'authorized', status: 'pending' });
    const captured = await moyasar.actions.capturePayment({ id: auth.id, amountMinor: 40000 });
    expect(captured).toMatchObject({ status: 'succeeded', capturedMinor: 40000 });
    const refunded = await moyasar.actions.refundPayment({ id: auth.id, amountMinor: 10000 });
    expect(refunded).toMatchObject({ status: 'partially_refunded', refundedMinor: 10000 });
    const rest = await moyasar.actions.refundPayment({ id: auth.id });
    expect(rest).toMatchObject({ status: 'refunded', refundedMinor: 40000 });
  });

  it('a refund whose response is lost (500 after it was applied) is reconciled, never repeated', async () => {
    const { fake, moyasar } = setup();
    const paid = fake.state.addPayment({ created_at: '2025-03-01T08:00:00.000Z' });
    fake.state.failNext({ status: 500, afterProcessing: true, match: 'POST /v1/payments/' });
    const payment = await moyasar.actions.refundPayment({ id: paid.id, amountMinor: 5050 });
    expect(payment).toMatchObject({ refundedMinor: 5050, status: 'partially_refunded' });
    expect(fake.state.requests.filter((r) => r.path.endsWith('/refund'))).toHaveLength(1);
  });

  it('a refund that did not happen behind a 500 is an outcomeUnknown error, sent once', async () => {
    const { fake, moyasar } = setup();
    const paid = fake.state.addPayment();
    fake.state.failNext({ status: 500, match: 'POST /v1/payments/' });
    const error = await moyasar.actions.refundPayment({ id: paid.id }).catch((e: unknown) => e);
    expect(isHmiError(error) && error.outcomeUnknown).toBe(true);
    expect(fake.state.requests.filter((r) => r.path.endsWith('/refund'))).toHaveLength(1);
    expect(fake.state.payments.get(paid.id)!.refunded).toBe(0);
  });
});

describe('payments stream', () => {
  it('reads every payment once across pages, resumes mid-window and then only sees new ones', async () => {
    const { fake, moyasar } = setup();
    for (let i = 0; i < 85; i++) {
      fake.state.addPayment({
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        created_at: new Date(Date.parse('2025-02-01T00:00:00Z') + i * 60_000).toISOString(),
      });
    }
    const seen: string[] = [];
    let checkpoint: unknown;
    for await (const page of moyasar.streams.payments.read()) {
      seen.push(...page.records.map((r) => r.id));
      checkpoint = page.checkpoint;
      if (seen.length === 40) {
        // A payment arrives mid-read: it must not shift the window's pages.
        fake.state.addPayment({ id: '11111111-0000-4000-8000-000000000001', created_at: '2025-03-05T00:00:00.000Z' });
        break;
      }
    }
    for await (const page of moyasar.streams.payments.read({ checkpoint: checkpoint as never })) {
      seen.push(...page.records.map((r) => r.id));
      checkpoint = page.checkpoint;
    }
    expect(seen).toHaveLength(85);
    expect(new Set(seen).size).toBe(85);
    const next: string[] = [];
    for await (const page of moyasar.streams.payments.read({ checkpoint: checkpoint as never }))
      next.push(...page.records.map((r) => r.id));
    expect(next).toEqual(['11111111-0000-4000-8000-000000000001']);
  });

  it('refuses a tampered checkpoint', async () => {
    const { moyasar } = setup();
    const read = async () => {
      for await (const _ of moyasar.streams.payments.read({ checkpoint: { after: 'x', to: null, page: 1 } as never })) void _;
    };
    await expect(read()).rejects.toSatisfy(ValidationError.isInstance);
  });
});

describe('description check', () => {
  it('refuses ICD-10 codes and the host’s vocabulary (Arabic folded), before any request', async () => {
    const { fake, moyasar } = setup({ descriptionVocabulary: ['diabetes', 'السكري'] });
    for (const description of ['Follow-up E11.9', 'Type 2 Diabetes clinic', 'متابعة مرض السّكري']) {
      const error = await moyasar.actions
        .createPayment({ amountMinor: 15050, source: stcPay, description })
        .catch((e: unknown) => e);
      expect(ValidationError.isInstance(error)).toBe(true);
      expect(JSON.stringify(error) + String((error as Error).message)).not.toContain(description);
    }
    expect(fake.state.requests).toHaveLength(0);
    await moyasar.actions.createPayment({ amountMinor: 15050, source: stcPay, description: 'Outpatient visit APT-7781 #B20' });
    expect(fake.state.payments.size).toBe(1);
  });

  it('findDiagnosisInText: codes standalone only; whole words', () => {
    expect(findDiagnosisInText('J45.909 review')).toBe('condition_code');
    expect(findDiagnosisInText('Order INV-A12 and HbA1c')).toBeUndefined();
    expect(findDiagnosisInText('Diabetic supplies', { vocabulary: ['diabetes'] })).toBeUndefined();
    expect(findDiagnosisInText('زيارة للعيادة', { vocabulary: ['السكري'] })).toBeUndefined();
  });
});

describe('secrets', () => {
  it('the secret key never reaches telemetry or errors, even when Moyasar refuses it', async () => {
    const { moyasar, events } = setup();
    const bad = createMoyasarConnector({ secretKey: 'sk_test_CANARYwrongKey0000001', baseUrl });
    const error = await bad.actions.fetchPayment({ id: '00000000-0000-4000-8000-000000000999' }).catch((e: unknown) => e);
    expect(isHmiError(error) && error.name).toBe('AuthError');
    await moyasar.actions.createPayment({ amountMinor: 15050, source: stcPay });
    const text = JSON.stringify(events) + JSON.stringify(error) + String((error as Error).stack);
    expect(text).not.toContain('CANARYwrongKey');
    expect(text).not.toContain('CANARYsecretKey');
    expect(text).not.toContain(Buffer.from(`${secretKey}:`).toString('base64'));
  });
});
