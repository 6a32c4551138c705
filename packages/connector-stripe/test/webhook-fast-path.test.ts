// The fast path of verifyStripeWebhook: the string body hashed without a byte copy, the bytes
// decoded once, and the envelope checked in place instead of by a schema parse. Properties: the
// in-place check never accepts what the StripeEvent schema refuses (and accepts what it accepts, so
// the slow path is only for errors); any change to a signed body, string or bytes, or to `t` is
// refused; what is returned is exactly the verified text, parsed.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import Stripe from 'stripe';
import { ValidationError, WebhookVerificationError } from '@hmi/core';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { parseStripeSignatureHeader, StripeEvent, verifyStripeWebhook } from '@hmi/connector-stripe';
import { isStripeEventShape } from '../src/webhooks/event-envelope.js';

const sdk = new Stripe('sk_test_webhooks');
const NOW_MS = 1_767_225_900_123;
const NOW_S = Math.floor(NOW_MS / 1000);
const secretArb = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .filter((s) => s.trim() !== '')
  .map((s) => `whsec_${s}`);
const sign = (payload: string | Uint8Array, secret: string, timestamp = NOW_S) =>
  sdk.webhooks.generateTestHeaderString({
    payload: typeof payload === 'string' ? payload : Buffer.from(payload).toString('latin1'),
    secret,
    timestamp,
  });
/** A header signed over raw bytes (the SDK's helper takes text): t and v1 as Stripe computes them. */
function signBytes(bytes: Uint8Array, secret: string, timestamp = NOW_S): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.`).update(bytes).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}
const verify = (payload: string | Uint8Array | ArrayBuffer, signature: string, secret: string) =>
  verifyStripeWebhook({ payload, signature, secret, now: NOW_MS });

// Events and near-events: each field of the envelope valid, missing or of another kind.
const fieldArb = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 20, arbitrary: valid },
    fc.constant(undefined),
    fc.constant(null),
    fc.constantFrom('', 'event', 0, 1e308, -1, true, [], {}),
  );
const objectArb = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })) },
  fc.constantFrom(null, [], 'pi_1', 3, undefined),
);
const eventLikeArb = fc.record(
  {
    id: fieldArb(fc.string({ maxLength: 12 })),
    type: fieldArb(fc.constantFrom('payment_intent.succeeded', 'charge.refunded', 'invoice.paid')),
    object: fieldArb(fc.constant('event')),
    api_version: fieldArb(fc.constant('2025-10-29.clover')),
    created: fieldArb(fc.integer({ min: 0, max: 2_000_000_000 })),
    livemode: fieldArb(fc.boolean()),
    data: fc.oneof(
      { weight: 4, arbitrary: fc.record({ object: objectArb }, { requiredKeys: [] }) },
      fc.constantFrom(null, [], 'x'),
    ),
    extra: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);

describe('the in-place envelope check (isStripeEventShape)', () => {
  it('accepts exactly what the StripeEvent schema accepts, on JSON values (event-like or anything)', () => {
    const seen = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(fc.oneof(eventLikeArb, fc.jsonValue({ maxDepth: 3 })), (value) => {
        // Through JSON text, as a webhook body arrives (undefined fields vanish; 1e308 stays finite).
        const json: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
        const schema = v.safeParse(StripeEvent, json).success;
        expect(isStripeEventShape(json, true)).toBe(schema);
        expect(isStripeEventShape(json)).toBe(schema);
        seen[schema ? 'accepted' : 'refused']++;
      }),
      { numRuns: 1000 },
    );
    expect(seen.accepted).toBeGreaterThan(50);
    expect(seen.refused).toBeGreaterThan(50);
  });

  it('reads 1e999 (Infinity) in `created` as the schema does: refused', () => {
    const json = JSON.parse('{"id":"evt_1","type":"x.y","created":1e999}');
    expect(v.safeParse(StripeEvent, json).success).toBe(false);
    expect(isStripeEventShape(json, true)).toBe(false);
  });

  it('never accepts a stored value the schema refuses (class instances, symbol keys, null prototypes)', () => {
    class NotPlain {
      a = 1;
    }
    const withSymbol = { [Symbol('k')]: 1 };
    const bare = Object.assign(Object.create(null), { amount: 5 });
    for (const object of [new NotPlain(), withSymbol, bare, new Date(0), new Map()]) {
      const event = { id: 'evt_1', type: 'payment_intent.succeeded', data: { object } };
      if (isStripeEventShape(event)) expect(v.safeParse(StripeEvent, event).success).toBe(true);
    }
  });
});

describe('verifyStripeWebhook fast path', () => {
  const payloadArb = fc
    .record({ id: fc.string({ minLength: 1, maxLength: 20 }), note: fc.string({ unit: 'grapheme', maxLength: 40 }) })
    .map(({ id, note }) =>
      JSON.stringify({ id: `evt_${id}`, object: 'event', type: 'charge.succeeded', data: { object: { note } } }),
    );

  it('refuses any changed byte of a Buffer body, any changed character of a string body, any other t', () => {
    fc.assert(
      fc.property(
        secretArb,
        payloadArb,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.integer({ min: 1, max: 400 }),
        (secret, payload, at, xor, dt) => {
          const signature = sign(payload, secret);
          expect(verify(payload, signature, secret)).toStrictEqual(JSON.parse(payload));
          const bytes = Buffer.from(payload, 'utf8');
          bytes[at % bytes.length]! ^= xor;
          expect(() => verify(bytes, signature, secret)).toThrow(WebhookVerificationError);
          const i = at % payload.length;
          const changed = `${payload.slice(0, i)}${String.fromCharCode(payload.charCodeAt(i) ^ xor)}${payload.slice(i + 1)}`;
          expect(() => verify(changed, signature, secret)).toThrow(WebhookVerificationError);
          // Another t with the same v1: the timestamp is signed too (within the tolerance or not).
          const otherT = signature.replace(/^t=(\d+)/, (_, t: string) => `t=${Number(t) + (dt % 2 ? dt : -dt)}`);
          expect(() => verify(payload, otherT, secret)).toThrow(WebhookVerificationError);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('several v1 entries: accepted when any is right, refused when none is, whatever their order', () => {
    fc.assert(
      fc.property(
        secretArb,
        payloadArb,
        fc.array(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }), { maxLength: 4 }),
        fc.nat(),
        (secret, payload, wrong, at) => {
          const good = sign(payload, secret).split(',v1=')[1]!;
          const bad = wrong.filter((w) => w !== good);
          const entries = bad.map((w) => `v1=${w}`);
          expect(() => verify(payload, `t=${NOW_S},${entries.join(',')}`, secret)).toThrow(WebhookVerificationError);
          entries.splice(at % (entries.length + 1), 0, `v1=${good}`);
          expect(verify(payload, `t=${NOW_S},${entries.join(',')}`, secret).id).toBe(JSON.parse(payload).id);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a string body, bytes and an ArrayBuffer of the same body verify alike and return the same event', () => {
    fc.assert(
      fc.property(secretArb, payloadArb, (secret, payload) => {
        const signature = sign(payload, secret);
        const bytes = new TextEncoder().encode(payload);
        const expected = JSON.parse(payload);
        expect(verify(payload, signature, secret)).toStrictEqual(expected);
        expect(verify(bytes, signature, secret)).toStrictEqual(expected);
        expect(verify(bytes.slice().buffer, signature, secret)).toStrictEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('a string with a lone surrogate is verified as its UTF-8 bytes (U+FFFD) and read as them', () => {
    const secret = 'whsec_lone';
    const lone = '{"id":"evt_1","type":"charge.succeeded","note":"a\uD800b"}';
    const asSent = new TextEncoder().encode(lone); // … "a" EF BF BD "b" …
    const event = verify(lone, signBytes(asSent, secret), secret) as unknown as { note: string };
    expect(event.note).toBe('a\uFFFDb');
  });

  it('a byte-order mark before the JSON is read past, as TextDecoder reads it; invalid UTF-8 is a ValidationError', () => {
    const secret = 'whsec_bom';
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"id":"evt_1","type":"charge.succeeded"}')]);
    expect(verify(body, signBytes(body, secret), secret).id).toBe('evt_1');
    const invalid = Buffer.from([0x7b, 0xff, 0x7d]);
    expect(() => verify(invalid, signBytes(invalid, secret), secret)).toThrow(ValidationError);
  });

  it('a verified body that is not an event is refused with the schema paths (the slow path names them)', () => {
    const secret = 'whsec_shape';
    const body = JSON.stringify({ id: '', type: 'charge.succeeded', data: { object: [] } });
    try {
      verify(body, sign(body, secret), secret);
      expect.unreachable();
    } catch (error) {
      expect(ValidationError.isInstance(error)).toBe(true);
      const paths = (error as ValidationError).issues.map((i) => i.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['id', 'data.object']));
    }
  });

  it('reads a Stripe-Signature header as split(",") then split("=") reads it (random headers)', () => {
    // The reading of Stripe's SDKs, written the plain way, as the reference.
    const reference = (header: string) => {
      let timestamp: number | undefined;
      const signatures: string[] = [];
      for (const item of header.split(',')) {
        const [key, value] = item.split('=');
        if (key === 't') timestamp = value === undefined ? Number.NaN : Number.parseInt(value, 10);
        else if (key === 'v1' && value !== undefined && value.length > 0) signatures.push(value);
      }
      return timestamp === undefined || !Number.isSafeInteger(timestamp) || signatures.length === 0
        ? undefined
        : { timestamp, signatures };
    };
    const ours = (header: string) => {
      try {
        return parseStripeSignatureHeader(header);
      } catch (error) {
        expect(WebhookVerificationError.isInstance(error)).toBe(true);
        return undefined;
      }
    };
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: fc.constantFrom('t', 'v', '1', '0', '=', ',', 'a', ' ', '-'), maxLength: 30 }),
          fc
            .array(
              fc.constantFrom('t=1767225900', 't=', 't', 't=12a', 't=1=2', 'v1=ab', 'v1=', 'v1', 'v1=a=b', 'v0=ab', 'x=1', ''),
              { maxLength: 5 },
            )
            .map((items) => items.join(',')),
        ),
        (header) => {
          expect(ours(header)).toStrictEqual(reference(header));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
