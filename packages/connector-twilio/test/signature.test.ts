import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { computeTwilioSignature, twilioBodyHash, verifyTwilioSignature } from '@hmi/connector-twilio';
import fc from 'fast-check';
import twilio from 'twilio';
import { findSpecsDir } from '@hmi/testing';
import { describe, expect, it } from 'vitest';

interface Vector {
  name: string;
  authToken: string;
  url: string;
  params: Record<string, string>;
  expectedSignature: string;
}
const vectorsFile = join(findSpecsDir(), 'webhook-test-vectors', 'twilio-request-validator.json');
const { vectors } = JSON.parse(readFileSync(vectorsFile, 'utf8')) as { vectors: Vector[] };

describe('verifyTwilioSignature: published vectors', () => {
  it('has vectors to check', () => {
    expect(vectors.length).toBeGreaterThan(0);
  });

  for (const v of vectors) {
    it(`accepts ${v.name}`, () => {
      expect(computeTwilioSignature(v.authToken, v.url, v.params)).toBe(v.expectedSignature);
      expect(
        verifyTwilioSignature({ url: v.url, params: v.params, signature: v.expectedSignature, authToken: v.authToken }),
      ).toBe(true);
    });

    it(`refuses ${v.name} with a wrong token, a changed parameter or no signature`, () => {
      const base = { url: v.url, params: v.params, signature: v.expectedSignature, authToken: v.authToken };
      expect(verifyTwilioSignature({ ...base, authToken: `${v.authToken}6` })).toBe(false);
      const [first] = Object.keys(v.params);
      expect(verifyTwilioSignature({ ...base, params: { ...v.params, [first as string]: 'x' } })).toBe(false);
      expect(verifyTwilioSignature({ ...base, params: { ...v.params, Extra: '1' } })).toBe(false);
      expect(verifyTwilioSignature({ ...base, signature: undefined })).toBe(false);
      expect(verifyTwilioSignature({ ...base, signature: '' })).toBe(false);
    });

    it(`accepts ${v.name} with and without the default port`, () => {
      const withPort = v.url.replace('https://mycompany.com/', 'https://mycompany.com:443/');
      expect(
        verifyTwilioSignature({ url: withPort, params: v.params, signature: v.expectedSignature, authToken: v.authToken }),
      ).toBe(true);
      const signedWithPort = computeTwilioSignature(v.authToken, withPort, v.params);
      expect(verifyTwilioSignature({ url: v.url, params: v.params, signature: signedWithPort, authToken: v.authToken })).toBe(
        true,
      );
    });
  }
});

describe('verifyTwilioSignature: rules', () => {
  const token = 'b7d1e0c2a9f84b6c8d3e5f1a2b3c4d5e';

  it('accepts http URLs signed with :80 and refuses a signature for another path', () => {
    const sig = computeTwilioSignature(token, 'http://crm.example.sa:80/sms/status', { A: '1' });
    expect(
      verifyTwilioSignature({ url: 'http://crm.example.sa/sms/status', params: { A: '1' }, signature: sig, authToken: token }),
    ).toBe(true);
    expect(
      verifyTwilioSignature({ url: 'http://crm.example.sa/sms/inbound', params: { A: '1' }, signature: sig, authToken: token }),
    ).toBe(false);
  });

  it('sorts names and concatenates repeated values sorted', () => {
    const params = { b: '2', a: ['z', 'y'], c: 'محمد' };
    const expected = twilio.getExpectedTwilioSignature(token, 'https://h.example/x', params as never);
    expect(computeTwilioSignature(token, 'https://h.example/x', params)).toBe(expected);
  });

  it('verifies JSON bodies through bodySHA256 and refuses a changed body', () => {
    const body = JSON.stringify({ MessageSid: 'SM1', Body: 'إيقاف' });
    const url = `https://crm.example.sa/hooks?bodySHA256=${twilioBodyHash(body)}`;
    const signature = computeTwilioSignature(token, url, {});
    expect(verifyTwilioSignature({ url, body, signature, authToken: token })).toBe(true);
    expect(verifyTwilioSignature({ url, body: new TextEncoder().encode(body), signature, authToken: token })).toBe(true);
    expect(verifyTwilioSignature({ url, body: body.replace('إيقاف', 'ايقاف'), signature, authToken: token })).toBe(false);
    const noHash = 'https://crm.example.sa/hooks';
    expect(
      verifyTwilioSignature({ url: noHash, body, signature: computeTwilioSignature(token, noHash, {}), authToken: token }),
    ).toBe(false);
  });

  it('returns false, never throws, on malformed input', () => {
    expect(verifyTwilioSignature({ url: 'not a url', params: {}, signature: 'x', authToken: token })).toBe(false);
    expect(
      verifyTwilioSignature({ url: 'https://a.example/', params: {}, signature: 'x', authToken: undefined as unknown as string }),
    ).toBe(false);
    expect(verifyTwilioSignature({ url: undefined as unknown as string, signature: 'x', authToken: token })).toBe(false);
    expect(verifyTwilioSignature({ url: 'https://a.example/', params: null as never, signature: 'x', authToken: token })).toBe(
      false,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Differential: the official `twilio` library is the oracle.

const arabicWord = fc
  .array(fc.constantFrom(...'ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةى'), { minLength: 1, maxLength: 8 })
  .map((a) => a.join(''));
const text = fc.oneof(fc.string({ maxLength: 20 }), arabicWord, fc.string({ unit: 'grapheme', maxLength: 10 }));
const hostname = fc.constantFrom(
  'crm.hospital.sa',
  'example.com',
  'hooks.clinic.ae',
  'localhost',
  '127.0.0.1',
  'xn--mgbh0fb.example',
);
const pathSegment = fc.oneof(fc.stringMatching(/^[A-Za-z0-9._~-]{0,10}$/), arabicWord, arabicWord.map(encodeURIComponent));
const queryPart = fc.array(
  fc.tuple(
    fc.stringMatching(/^[A-Za-z0-9_]{1,8}$/),
    fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{0,8}$/), arabicWord, arabicWord.map(encodeURIComponent)),
  ),
  {
    maxLength: 3,
  },
);
const url = fc
  .record({
    scheme: fc.constantFrom('https', 'http'),
    host: hostname,
    port: fc.constantFrom('', ':443', ':80', ':8443'),
    segments: fc.array(pathSegment, { maxLength: 4 }),
    query: queryPart,
  })
  .map(({ scheme, host, port, segments, query }) => {
    const q = query.map(([k, v]) => `${k}=${v}`).join('&');
    return `${scheme}://${host}${port}/${segments.join('/')}${q ? `?${q}` : ''}`;
  });
const anyUrl = fc.oneof(
  { weight: 3, arbitrary: url },
  { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
);
const params = fc.dictionary(
  fc.oneof(fc.stringMatching(/^[A-Za-z]{1,12}$/), text),
  fc.oneof(text, fc.array(text, { maxLength: 3 })),
  {
    maxKeys: 6,
  },
);
const secret = fc.oneof(fc.string({ maxLength: 40 }), fc.stringMatching(/^[0-9a-f]{32}$/), arabicWord);

/** Variants of the URL Twilio might have signed: as is, with a default port, without one. */
function signedUrlVariant(u: string, variant: number): string {
  if (variant === 1)
    return u.replace(
      /^(https?:\/\/[^/:?#]+)(?=[/?#]|$)/,
      (_m, origin: string) => `${origin}${u.startsWith('https') ? ':443' : ':80'}`,
    );
  if (variant === 2) return u.replace(/^(https?:\/\/[^/:?#]+):\d+/, '$1');
  return u;
}

describe('verifyTwilioSignature: differential against the official twilio library', () => {
  it('agrees with twilio.validateRequest on form requests (valid, port-shifted and forged signatures)', () => {
    fc.assert(
      fc.property(
        secret,
        anyUrl,
        params,
        fc.nat(2),
        fc.nat(3),
        fc.string({ maxLength: 30 }),
        (token, u, p, variant, mode, junk) => {
          const signedOver = signedUrlVariant(u, variant);
          const good = twilio.getExpectedTwilioSignature(token, signedOver, p as never);
          const signature = mode === 0 ? junk : mode === 1 ? `${good.slice(0, -2)}AA` : good;
          const theirs = twilio.validateRequest(token, signature, u, p as never);
          const ours = verifyTwilioSignature({ url: u, params: p, signature, authToken: token });
          expect(ours).toBe(theirs);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('agrees with twilio.validateRequestWithBody on JSON bodies', () => {
    const body = fc.oneof(
      fc.json(),
      fc.record({ MessageSid: fc.string(), Body: fc.oneof(arabicWord, text) }).map((o) => JSON.stringify(o)),
    );
    fc.assert(
      fc.property(secret, url, body, fc.boolean(), fc.nat(2), fc.nat(2), (token, base, b, tamperBody, variant, mode) => {
        const u = `${base}${base.includes('?') ? '&' : '?'}bodySHA256=${twilioBodyHash(b)}`;
        const good = twilio.getExpectedTwilioSignature(token, signedUrlVariant(u, variant), {} as never);
        const signature = mode === 0 ? good.split('').reverse().join('') : good;
        const sent = tamperBody ? `${b} ` : b;
        const theirs = twilio.validateRequestWithBody(token, signature, u, sent);
        const ours = verifyTwilioSignature({ url: u, body: sent, signature, authToken: token });
        expect(ours).toBe(theirs);
      }),
      { numRuns: 800 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Any changed character refuses.

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const safeUrl = fc
  .record({
    host: fc.stringMatching(/^[a-z]{1,10}$/),
    segments: fc.array(fc.oneof(fc.stringMatching(/^[a-z0-9]{1,8}$/), arabicWord), { minLength: 1, maxLength: 3 }),
    query: fc.array(fc.tuple(fc.stringMatching(/^[a-z0-9]{1,6}$/), fc.oneof(fc.stringMatching(/^[a-z0-9]{1,6}$/), arabicWord)), {
      maxLength: 3,
    }),
  })
  .map(({ host, segments, query }) => {
    const q = query.map(([k, v]) => `${k}=${v}`).join('&');
    return `https://${host}.example/${segments.join('/')}${q ? `?${q}` : ''}`;
  });
const safeParams = fc.dictionary(fc.stringMatching(/^[A-Za-z]{1,10}$/), fc.oneof(fc.string({ maxLength: 12 }), arabicWord), {
  minKeys: 1,
  maxKeys: 5,
});

function replaceAt(s: string, index: number, pick: number, alphabet: string): string {
  const chars = [...s];
  const current = chars[index] as string;
  const options = [...alphabet].filter((c) => c !== current);
  chars[index] = options[pick % options.length] as string;
  return chars.join('');
}

describe('verifyTwilioSignature: any change is refused (property)', () => {
  const token = 'c0ffee00c0ffee00c0ffee00c0ffee00';

  it('a changed character in the URL', () => {
    fc.assert(
      fc.property(safeUrl, safeParams, fc.nat(), fc.nat(), (u, p, where, pick) => {
        const signature = computeTwilioSignature(token, u, p);
        // Only letters, digits and Arabic letters after the scheme: separators and case changes can be
        // equivalent under the URL normalisation Twilio's validators apply.
        const chars = [...u];
        const positions = chars.map((c, i) => (i >= 8 && /[a-z0-9\u0600-\u06FF]/.test(c) ? i : -1)).filter((i) => i >= 0);
        const changed = replaceAt(u, positions[where % positions.length] as number, pick, ALNUM);
        expect(verifyTwilioSignature({ url: u, params: p, signature, authToken: token })).toBe(true);
        expect(verifyTwilioSignature({ url: changed, params: p, signature, authToken: token })).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('a changed, added or removed parameter', () => {
    fc.assert(
      fc.property(safeUrl, safeParams, fc.nat(), fc.nat(), fc.nat(2), (u, p, where, pick, kind) => {
        const signature = computeTwilioSignature(token, u, p);
        const keys = Object.keys(p);
        const key = keys[where % keys.length] as string;
        const changed: Record<string, string> = { ...p };
        const value = p[key] as string;
        if (kind === 0) changed[key] = value.length > 0 ? replaceAt(value, where % [...value].length, pick, `${ALNUM}م`) : 'y';
        else if (kind === 1) changed[`${key}Z`] = '1';
        else delete changed[key];
        fc.pre(JSON.stringify(changed) !== JSON.stringify(p));
        expect(verifyTwilioSignature({ url: u, params: changed, signature, authToken: token })).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('a changed character in the signature or the token', () => {
    fc.assert(
      fc.property(safeUrl, safeParams, fc.nat(), fc.nat(), (u, p, where, pick) => {
        const signature = computeTwilioSignature(token, u, p);
        const badSig = replaceAt(signature, where % signature.length, pick, BASE64);
        expect(verifyTwilioSignature({ url: u, params: p, signature: badSig, authToken: token })).toBe(false);
        const badToken = replaceAt(token, where % token.length, pick, ALNUM);
        expect(verifyTwilioSignature({ url: u, params: p, signature, authToken: badToken })).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
