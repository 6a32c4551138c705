import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSendGridSignature, parseSendGridPublicKey, verifySendGridSignature } from '../src/index.js';
import { readSpec } from './mail-spec.js';

interface Vector {
  name: string;
  publicKey: string;
  signature: string;
  timestamp: string;
  payload: string;
}
const vectors = readSpec<{ vectors: Vector[] }>('webhook-test-vectors/sendgrid-event-webhook.json').vectors;

// The official library (CommonJS, starkbank-ecdsa underneath) as the reference verifier.
const { EventWebhook } = createRequire(import.meta.url)('@sendgrid/eventwebhook') as {
  EventWebhook: new () => {
    convertPublicKeyToECDSA(key: string): unknown;
    verifySignature(key: unknown, payload: string | Buffer, signature: string, timestamp: string): boolean;
  };
};
const official = new EventWebhook();
function officialVerdict(publicKey: string, payload: string | Buffer, signature: string, timestamp: string): boolean {
  try {
    return official.verifySignature(official.convertPublicKeyToECDSA(publicKey), payload, signature, timestamp);
  } catch {
    return false; // it throws on malformed DER; a throw is a refusal
  }
}

function p256() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    base64: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    sign: (timestamp: string, payload: Uint8Array | string) =>
      sign('sha256', Buffer.concat([Buffer.from(timestamp), Buffer.from(payload)]), {
        key: privateKey,
        dsaEncoding: 'der',
      }).toString('base64'),
  };
}

const ARABIC_EVENT = (name: string, ts: number) =>
  `[{"email":"patient@example.com","event":"open","sg_event_id":"ev-${ts}","hmi_contact_id":"c-1","note":"${name}","timestamp":${ts}}]\r\n`;

describe('verifySendGridSignature: published vectors (@sendgrid/eventwebhook spec constants)', () => {
  it.each(vectors.map((v) => [v.name, v] as const))('%s verifies at its own time', (_, v) => {
    const now = new Date(Number(v.timestamp) * 1000);
    expect(verifySendGridSignature({ ...v, now })).toBe(true);
    // Same vector, raw bytes instead of a string.
    expect(verifySendGridSignature({ ...v, payload: Buffer.from(v.payload), now })).toBe(true);
    // The key as PEM works too.
    const pem = createPublicKey({ key: Buffer.from(v.publicKey, 'base64'), format: 'der', type: 'spki' }).export({
      format: 'pem',
      type: 'spki',
    });
    expect(verifySendGridSignature({ ...v, publicKey: pem.toString(), now })).toBe(true);
  });

  it.each(vectors.map((v) => [v.name, v] as const))(
    '%s fails without the trailing CRLF, and with a different timestamp',
    (_, v) => {
      const now = new Date(Number(v.timestamp) * 1000);
      expect(v.payload.endsWith('\r\n')).toBe(true);
      expect(verifySendGridSignature({ ...v, payload: v.payload.slice(0, -2), now })).toBe(false);
      expect(verifySendGridSignature({ ...v, payload: `${v.payload.slice(0, -2)}\n`, now })).toBe(false);
      expect(verifySendGridSignature({ ...v, timestamp: String(Number(v.timestamp) + 1), now })).toBe(false);
    },
  );

  it('the vectors are old: without `now` they are refused as stale; the tolerance applies both ways', () => {
    const v = vectors[0]!;
    const ts = Number(v.timestamp);
    expect(verifySendGridSignature(v)).toBe(false);
    expect(checkSendGridSignature(v)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifySendGridSignature({ ...v, now: (ts + 300) * 1000 })).toBe(true);
    expect(verifySendGridSignature({ ...v, now: (ts + 301) * 1000 })).toBe(false);
    expect(verifySendGridSignature({ ...v, now: (ts - 300) * 1000 })).toBe(true);
    expect(verifySendGridSignature({ ...v, now: (ts - 301) * 1000 })).toBe(false);
    expect(verifySendGridSignature({ ...v, now: ts + 60 })).toBe(true); // epoch seconds are accepted too
    expect(verifySendGridSignature({ ...v, now: new Date((ts + 3600) * 1000), toleranceSec: 3600 })).toBe(true);
  });

  it('malformed keys, signatures and timestamps give false, never a throw', () => {
    const v = vectors[0]!;
    const now = new Date(Number(v.timestamp) * 1000);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ format: 'der', type: 'spki' })
      .toString('base64');
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' })
      .publicKey.export({ format: 'der', type: 'spki' })
      .toString('base64');
    for (const publicKey of [
      '',
      'not a key',
      '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
      rsa,
      k1,
      v.publicKey.slice(0, 40),
    ]) {
      expect(verifySendGridSignature({ ...v, publicKey, now })).toBe(false);
    }
    for (const signature of ['', '!!!', 'AAAA', v.signature.slice(0, 20), 'A'.repeat(5000), `AAAA${v.signature}`]) {
      expect(verifySendGridSignature({ ...v, signature, now })).toBe(false);
    }
    // Base64 is decoded as Node decodes it (so as the official library does): text after the
    // padding is ignored, so the same DER bytes verify. Both verifiers agree on that.
    const padded = `${v.signature}AAAA`;
    expect(verifySendGridSignature({ ...v, signature: padded, now })).toBe(
      officialVerdict(v.publicKey, v.payload, padded, v.timestamp),
    );
    for (const timestamp of ['', 'abc', '-1', '1600112502.5', ' 1600112502x']) {
      expect(verifySendGridSignature({ ...v, timestamp, now })).toBe(false);
    }
    expect(verifySendGridSignature({ ...v, payload: undefined as never, now })).toBe(false);
    expect(verifySendGridSignature({ ...v, signature: undefined as never, now })).toBe(false);
    expect(parseSendGridPublicKey(v.publicKey)?.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(parseSendGridPublicKey(k1)).toBeUndefined();
  });
});

describe('verifySendGridSignature: properties (fast-check)', () => {
  const key = p256();
  const ts = '1700000000';
  const now = new Date(1_700_000_000_000);

  it('signs and verifies any Arabic/Unicode payload; any changed byte of the payload is refused', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'مرحبا بكم في المستشفى،؟ abc{}"\r\n٠١٢٣'.split('')), minLength: 1, maxLength: 200 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (text, position, delta) => {
          const payload = Buffer.from(ARABIC_EVENT(text, 1), 'utf8');
          const signature = key.sign(ts, payload);
          expect(verifySendGridSignature({ payload, signature, timestamp: ts, publicKey: key.base64, now })).toBe(true);
          const tampered = Buffer.from(payload);
          const i = position % tampered.length;
          tampered[i] = (tampered[i]! + delta) % 256;
          expect(verifySendGridSignature({ payload: tampered, signature, timestamp: ts, publicKey: key.base64, now })).toBe(
            false,
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('any changed byte of the decoded signature is refused', () => {
    const payload = ARABIC_EVENT('مريض', 2);
    const signature = Buffer.from(key.sign(ts, payload), 'base64');
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (position, delta) => {
        const bytes = Buffer.from(signature);
        const i = position % bytes.length;
        bytes[i] = (bytes[i]! + delta) % 256;
        expect(
          verifySendGridSignature({ payload, signature: bytes.toString('base64'), timestamp: ts, publicKey: key.base64, now }),
        ).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('a byte appended or removed anywhere in the payload is refused', () => {
    const payload = Buffer.from(ARABIC_EVENT('أحمد', 3));
    const signature = key.sign(ts, payload);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), (position, byte, insert) => {
        const i = position % payload.length;
        const changed = insert
          ? Buffer.concat([payload.subarray(0, i), Buffer.from([byte]), payload.subarray(i)])
          : Buffer.concat([payload.subarray(0, i), payload.subarray(i + 1)]);
        expect(verifySendGridSignature({ payload: changed, signature, timestamp: ts, publicKey: key.base64, now })).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});

describe('verifySendGridSignature vs the official @sendgrid/eventwebhook (differential)', () => {
  it('same verdict on random keys, Arabic payloads and tampering of payload, signature, timestamp and key', () => {
    const keys = Array.from({ length: 4 }, p256);
    const tamper = fc.constantFrom(
      'none',
      'payload',
      'signature',
      'timestamp',
      'key',
      'truncate-signature',
      'crlf',
    ) as fc.Arbitrary<string>;
    fc.assert(
      fc.property(
        fc.nat({ max: keys.length - 1 }),
        fc.string({
          unit: fc.constantFrom(...'السلام عليكم ورحمة الله؛ موعدك غداً 10:00 Dr. Ali "x" \\ é 😀'.split('')),
          maxLength: 120,
        }),
        fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }),
        tamper,
        fc.nat(),
        (k, text, timestampNumber, how, position) => {
          const key = keys[k]!;
          const other = keys[(k + 1) % keys.length]!;
          const timestamp = String(timestampNumber);
          const payload = ARABIC_EVENT(JSON.stringify(text).slice(1, -1), timestampNumber);
          const original = key.sign(timestamp, payload);
          let signature = original;
          let checkedPayload = payload;
          let checkedTimestamp = timestamp;
          let publicKey = key.base64;
          if (how === 'payload') {
            const chars = [...payload];
            const i = position % chars.length;
            chars[i] = chars[i] === 'ا' ? 'ب' : 'ا';
            checkedPayload = chars.join('');
          } else if (how === 'signature') {
            const bytes = Buffer.from(signature, 'base64');
            // Byte 1 (the DER SEQUENCE length) is the one known divergence, tested on its own below.
            const i = position % bytes.length === 1 ? 0 : position % bytes.length;
            bytes[i] = bytes[i]! ^ (1 + (position % 255));
            signature = bytes.toString('base64');
          } else if (how === 'timestamp') {
            checkedTimestamp = String(timestampNumber + 1 + (position % 100));
          } else if (how === 'key') {
            publicKey = other.base64;
          } else if (how === 'truncate-signature') {
            signature = signature.slice(0, 8 + (position % (signature.length - 8)));
          } else if (how === 'crlf') {
            checkedPayload = payload.slice(0, -2);
          }
          const ours = verifySendGridSignature({
            payload: checkedPayload,
            signature,
            timestamp: checkedTimestamp,
            publicKey,
            now: new Date(timestampNumber * 1000),
          });
          const theirs = officialVerdict(publicKey, checkedPayload, signature, checkedTimestamp);
          if (how === 'signature') {
            // The official library's DER reader tolerates some malformed encodings (length and
            // integer-padding bytes, seed -1235007138 found one), so a changed signature byte can
            // still pass there. We must never accept what it refuses, and we refuse every change.
            if (!theirs) expect(ours).toBe(false);
          } else {
            expect(ours).toBe(theirs);
          }
          // Truncating only the base64 padding leaves the same bytes, which still verify.
          const sameBytes = Buffer.from(signature, 'base64').equals(Buffer.from(original, 'base64'));
          expect(ours).toBe(how === 'none' || (how === 'truncate-signature' && sameBytes));
          // Bytes in, too: the official library decodes a Buffer as UTF-8 first.
          expect(
            verifySendGridSignature({
              payload: Buffer.from(checkedPayload),
              signature,
              timestamp: checkedTimestamp,
              publicKey,
              now: new Date(timestampNumber * 1000),
            }),
          ).toBe(officialVerdict(publicKey, Buffer.from(checkedPayload), signature, checkedTimestamp));
        },
      ),
      { numRuns: 120 },
    );
  });

  it('the one divergence: an overstated DER SEQUENCE length is refused here (strict DER), accepted by the official library', () => {
    const v = vectors[0]!;
    const der = Buffer.from(v.signature, 'base64');
    const overstated = Buffer.from(der);
    overstated[1] = der[1]! + 2;
    const signature = overstated.toString('base64');
    expect(officialVerdict(v.publicKey, v.payload, signature, v.timestamp)).toBe(true);
    expect(verifySendGridSignature({ ...v, signature, now: Number(v.timestamp) * 1000 })).toBe(false);
    expect(checkSendGridSignature({ ...v, signature, now: Number(v.timestamp) * 1000 })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('agrees on the published vectors and accepts PEM keys like the official one', () => {
    for (const v of vectors) {
      expect(officialVerdict(v.publicKey, v.payload, v.signature, v.timestamp)).toBe(true);
      expect(verifySendGridSignature({ ...v, now: Number(v.timestamp) * 1000 })).toBe(true);
    }
    const key = p256();
    const payload = ARABIC_EVENT('فاطمة', 9);
    const signature = key.sign('1700000000', payload);
    expect(officialVerdict(key.pem, payload, signature, '1700000000')).toBe(true);
    expect(
      verifySendGridSignature({ payload, signature, timestamp: '1700000000', publicKey: key.pem, now: 1_700_000_000_000 }),
    ).toBe(true);
  });
});
