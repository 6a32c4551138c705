import fc from 'fast-check';
import Stripe from 'stripe';
import { ConfigError, ValidationError, WebhookVerificationError, isHmiError } from '@hmi/core';
import { expectNoLeaks } from '@hmi/testing';
import { describe, expect, it } from 'vitest';
import { verifyStripeWebhook } from '@hmi/connector-stripe';

// verifyStripeWebhook against the official SDK's constructEvent / generateTestHeaderString on random
// secrets, payloads and timestamps. Documented differences: we also refuse timestamps beyond the
// tolerance in the FUTURE (the SDK accepts them), which the properties below exclude or assert.

const sdk = new Stripe('sk_test_webhooks');
const NOW_MS = 1_767_225_900_123;
const NOW_S = Math.floor(NOW_MS / 1000);

const secretArb = fc
  .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 })
  .filter((s) => !/^[ \t\r\n\f\v]*$/.test(s))
  .map((s) => `whsec_${s}`);
const arabic = fc.constantFrom('فاطمة الحربي', 'مستشفى الملك فيصل', 'دفعة استشارة ٣٠٠ ريال', '‏+966 55 512 3456', 'سارة');
const textArb = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), arabic);
const eventArb = fc.record({
  id: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 30 }).map((s) => `evt_${s}`),
  object: fc.constant('event'),
  type: fc.constantFrom('payment_intent.succeeded', 'charge.refunded', 'invoice.paid', 'customer.created'),
  created: fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }),
  livemode: fc.boolean(),
  data: fc.record({
    object: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.oneof(textArb, fc.integer(), fc.boolean())),
  }),
  note: textArb,
});
// Stripe sends compact or pretty JSON; both must verify over the exact bytes.
const payloadArb = fc
  .tuple(eventArb, fc.constantFrom(undefined, 2))
  .map(([event, indent]) => JSON.stringify(event, null, indent));
const ageArb = fc.integer({ min: -300, max: 300 });

function sdkResult(payload: string | Buffer, header: string, secret: string, tolerance?: number) {
  try {
    return { ok: true as const, event: sdk.webhooks.constructEvent(payload, header, secret, tolerance, undefined, NOW_MS) };
  } catch (error) {
    return { ok: false as const, error };
  }
}
function ourResult(payload: string | Uint8Array, header: string, secret: string | string[], toleranceSec?: number) {
  try {
    return {
      ok: true as const,
      event: verifyStripeWebhook({
        payload,
        signature: header,
        secret,
        now: NOW_MS,
        ...(toleranceSec !== undefined && { toleranceSec }),
      }),
    };
  } catch (error) {
    return { ok: false as const, error };
  }
}
const header = (payload: string, secret: string, timestamp: number) =>
  sdk.webhooks.generateTestHeaderString({ payload, secret, timestamp });

describe('verifyStripeWebhook vs stripe.webhooks.constructEvent', () => {
  it('accepts what the SDK accepts and returns the same event (random secrets, Arabic payloads, string and Buffer)', () => {
    fc.assert(
      fc.property(secretArb, payloadArb, ageArb, fc.boolean(), (secret, payload, age, asBuffer) => {
        const sig = header(payload, secret, NOW_S - age);
        const body = asBuffer ? Buffer.from(payload, 'utf8') : payload;
        const theirs = sdkResult(body, sig, secret);
        const ours = ourResult(body, sig, secret);
        expect(theirs.ok).toBe(true);
        expect(ours.ok).toBe(true);
        expect(ours.ok && ours.event).toEqual(theirs.ok && theirs.event);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what the SDK refuses: a tampered byte, a wrong secret, an expired timestamp', () => {
    fc.assert(
      fc.property(
        secretArb,
        secretArb,
        payloadArb,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (secret, other, payload, at, xor) => {
          const sig = header(payload, secret, NOW_S);
          const bytes = Buffer.from(payload, 'utf8');
          bytes[at % bytes.length]! ^= xor;
          const tampered = ourResult(bytes, sig, secret);
          expect(sdkResult(bytes, sig, secret).ok).toBe(false);
          expect(tampered.ok).toBe(false);
          expect(WebhookVerificationError.isInstance(!tampered.ok && tampered.error)).toBe(true);
          if (other !== secret) {
            expect(sdkResult(payload, sig, other).ok).toBe(false);
            expect(ourResult(payload, sig, other).ok).toBe(false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('expired: more than the tolerance in the past is refused by both; exactly at the tolerance is accepted by both', () => {
    fc.assert(
      fc.property(
        secretArb,
        payloadArb,
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 600 }),
        (secret, payload, extra, tolerance) => {
          const old = header(payload, secret, NOW_S - tolerance - extra);
          expect(sdkResult(payload, old, secret, tolerance).ok).toBe(false);
          const ours = ourResult(payload, old, secret, tolerance);
          expect(WebhookVerificationError.isInstance(!ours.ok && ours.error)).toBe(true);
          const edge = header(payload, secret, NOW_S - tolerance);
          expect(sdkResult(payload, edge, secret, tolerance).ok).toBe(true);
          expect(ourResult(payload, edge, secret, tolerance).ok).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('several v1 signatures in one header: accepted when any matches, by both', () => {
    fc.assert(
      fc.property(secretArb, secretArb, payloadArb, fc.integer({ min: 0, max: 4 }), (secret, other, payload, position) => {
        const t = NOW_S - 5;
        const good = header(payload, secret, t).split(',v1=')[1]!;
        const bad = header(payload, `${other}x`, t).split(',v1=')[1]!;
        const sigs = [bad, bad.replace(/^./, '0'), `${bad.slice(0, 10)}`, bad];
        sigs.splice(position, 0, good);
        const multi = `t=${t},${sigs.map((s) => `v1=${s}`).join(',')},v0=${bad}`;
        expect(sdkResult(payload, multi, secret).ok).toBe(true);
        expect(ourResult(payload, multi, secret).ok).toBe(true);
        const none = `t=${t},${sigs
          .filter((s) => s !== good)
          .map((s) => `v1=${s}`)
          .join(',')}`;
        expect(sdkResult(payload, none, secret).ok).toBe(false);
        expect(ourResult(payload, none, secret).ok).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('secret rotation: a list of secrets verifies a payload signed with any of them and none other', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(secretArb, { minLength: 2, maxLength: 4 }),
        secretArb,
        payloadArb,
        fc.nat(),
        (secrets, stranger, payload, pick) => {
          const signer = secrets[pick % secrets.length]!;
          const sig = header(payload, signer, NOW_S);
          expect(ourResult(payload, sig, secrets).ok).toBe(true);
          if (!secrets.includes(stranger)) {
            expect(ourResult(payload, header(payload, stranger, NOW_S), secrets).ok).toBe(false);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses a timestamp beyond the tolerance in the future (the SDK accepts it: documented difference)', () => {
    fc.assert(
      fc.property(secretArb, payloadArb, fc.integer({ min: 301, max: 100_000_000 }), (secret, payload, ahead) => {
        const sig = header(payload, secret, NOW_S + ahead);
        expect(sdkResult(payload, sig, secret).ok).toBe(true);
        const ours = ourResult(payload, sig, secret);
        expect(WebhookVerificationError.isInstance(!ours.ok && ours.error)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('toleranceSec 0 turns the timestamp check off, as in the SDK', () => {
    const payload = JSON.stringify({ id: 'evt_1', type: 'charge.refunded' });
    const sig = header(payload, 'whsec_x', NOW_S - 10_000);
    expect(sdkResult(payload, sig, 'whsec_x', 0).ok).toBe(true);
    expect(ourResult(payload, sig, 'whsec_x', 0).ok).toBe(true);
  });
});

describe('malformed input is a typed error, never a crash', () => {
  it('random headers: a WebhookVerificationError, and never an acceptance the SDK would refuse', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'grapheme' }),
          fc.stringMatching(/^(t=-?\d{0,12}|v1=[0-9a-f]{0,64}|v0=\w*|,|=|\s)*$/),
        ),
        payloadArb,
        (sig, payload) => {
          const ours = ourResult(payload, sig, 'whsec_fuzz');
          expect(ours.ok).toBe(false);
          expect(WebhookVerificationError.isInstance(!ours.ok && ours.error)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each([
    ['no header', undefined],
    ['null header', null],
    ['empty header', ''],
    ['no timestamp', 'v1=abc'],
    ['no signature', 't=1767225900'],
    ['non-numeric timestamp', 't=abc,v1=00'],
    ['empty timestamp', 't=,v1=00'],
    ['huge header', `t=1,${'v1=a,'.repeat(20_000)}`],
  ])('%s → WebhookVerificationError', (_name, sig) => {
    const result = ourResult('{"id":"evt_1","type":"x"}', sig as string, 'whsec_x');
    expect(result.ok).toBe(false);
    expect(WebhookVerificationError.isInstance(!result.ok && result.error)).toBe(true);
  });

  it('a parsed object instead of raw bytes, an empty body, a blank secret', () => {
    const sig = header('{}', 'whsec_x', NOW_S);
    expect(() =>
      verifyStripeWebhook({ payload: { id: 'evt' } as never, signature: sig, secret: 'whsec_x', now: NOW_MS }),
    ).toThrow(expect.objectContaining({ code: 'webhook_verification_failed' }));
    expect(() => verifyStripeWebhook({ payload: '', signature: sig, secret: 'whsec_x', now: NOW_MS })).toThrow(
      expect.objectContaining({ code: 'webhook_verification_failed' }),
    );
    const blank = (() => {
      try {
        verifyStripeWebhook({ payload: '{}', signature: sig, secret: '  ', now: NOW_MS });
      } catch (e) {
        return e;
      }
    })();
    expect(ConfigError.isInstance(blank)).toBe(true);
  });

  it('a correctly signed payload that is not JSON or not an event is a ValidationError (signature checked first)', () => {
    for (const payload of ['not json', '[1,2]', '{"type":"x"}', '{"id":"evt_1","type":"x","object":"v2.core.event"}']) {
      const error = ourResult(payload, header(payload, 'whsec_x', NOW_S), 'whsec_x');
      expect(!error.ok && ValidationError.isInstance(error.error)).toBe(true);
      // Unsigned garbage never reaches the parser: it is a signature failure.
      const unsigned = ourResult(payload, header('other', 'whsec_x', NOW_S), 'whsec_x');
      expect(!unsigned.ok && WebhookVerificationError.isInstance(unsigned.error)).toBe(true);
    }
  });

  it('errors carry neither the payload, the header nor the secret', () => {
    const payload = JSON.stringify({ id: 'evt_1', type: 'x', name: 'فاطمة الحربي' });
    const sig = header(payload, 'whsec_CANARY_SECRET', NOW_S - 10_000);
    const result = ourResult(payload, sig, 'whsec_CANARY_SECRET');
    expect(result.ok).toBe(false);
    const error = !result.ok ? result.error : undefined;
    expect(isHmiError(error)).toBe(true);
    expectNoLeaks([error], ['فاطمة', 'CANARY_SECRET', sig.slice(-20)]);
  });
});
