import { createHmac } from 'node:crypto';
import { createMetaConnector } from '@hmi/connector-meta';
import { answerGraphHandshake, signGraphPayload, verifyGraphSignature } from '@hmi/connector-meta/graph';
import { graphHandshakeRequest, signedLeadgenWebhook } from '@hmi/connector-meta/msw';
import { WebhookVerificationError } from '@hmi/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN, APP_SECRET, rejection, VERIFY_TOKEN } from './harness.js';

const arabic = fc.string({
  unit: fc.constantFrom(...'ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى ًٌٍَُِّْ٠١٢٣٤٥٦٧٨٩،؟'.split('')),
  maxLength: 300,
});
const body = fc.oneof(
  arabic,
  fc.string({ maxLength: 300 }),
  arabic.map((t) => JSON.stringify({ object: 'page', text: t })),
);
const secret = fc.string({ minLength: 1, maxLength: 64 });

// An independent reference: Node's HMAC over the UTF-8 bytes, not our helper.
const reference = (payload: string, key: string) =>
  `sha256=${createHmac('sha256', key).update(Buffer.from(payload, 'utf8')).digest('hex')}`;

describe('X-Hub-Signature-256', () => {
  it('accepts Meta’s signature of random Arabic bodies under random secrets', () => {
    fc.assert(
      fc.property(body, secret, (payload, key) => {
        expect(signGraphPayload(payload, key)).toBe(reference(payload, key));
        expect(verifyGraphSignature(Buffer.from(payload, 'utf8'), reference(payload, key), key)).toBe(true);
      }),
    );
  });

  it('refuses a body with any one byte changed', () => {
    fc.assert(
      fc.property(
        body.filter((b) => b.length > 0),
        secret,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (payload, key, at, delta) => {
          const bytes = Buffer.from(payload, 'utf8');
          const header = reference(payload, key);
          const i = at % bytes.length;
          const tampered = Buffer.from(bytes);
          tampered[i] = (tampered[i]! + delta) % 256;
          expect(verifyGraphSignature(tampered, header, key)).toBe(false);
        },
      ),
    );
  });

  it('refuses another secret, a changed signature character, and malformed headers', () => {
    fc.assert(
      fc.property(body, secret, secret, fc.nat(63), (payload, key, other, at) => {
        fc.pre(key !== other);
        const header = reference(payload, key);
        expect(verifyGraphSignature(payload, reference(payload, other), key)).toBe(false);
        const hex = header.slice(7);
        const flipped = `sha256=${hex.slice(0, at)}${hex[at] === '0' ? '1' : '0'}${hex.slice(at + 1)}`;
        expect(verifyGraphSignature(payload, flipped, key)).toBe(false);
      }),
    );
    for (const bad of [
      undefined,
      null,
      '',
      'sha256=',
      `sha1=${'0'.repeat(64)}`,
      `sha256=${'z'.repeat(64)}`,
      `${reference('x', 'k')} `,
    ]) {
      expect(verifyGraphSignature('x', bad, 'k')).toBe(false);
    }
    expect(verifyGraphSignature('x', reference('x', 'k'), '')).toBe(false);
    expect(verifyGraphSignature({ payload: 'نص', header: reference('نص', 'k'), secret: 'k' })).toBe(true);
    expect(verifyGraphSignature({ payload: 'نص!', header: reference('نص', 'k'), secret: 'k' })).toBe(false);
    // Any changed byte of the header is refused too, even a hex digit's case.
    expect(verifyGraphSignature('x', reference('x', 'k').toUpperCase().replace('SHA256=', 'sha256='), 'k')).toBe(false);
  });

  it('the connector verifies a signed Arabic lead delivery and refuses a tampered one (401 path)', async () => {
    const meta = createMetaConnector({ accessToken: ACCESS_TOKEN, appSecret: APP_SECRET });
    const request = signedLeadgenWebhook({ url: 'https://crm.hospital.sa/hooks/meta', appSecret: APP_SECRET });
    const events = await meta.webhooks.events.verify(request.clone());
    expect(events).toEqual([
      expect.objectContaining({
        id: 'leadgen:1234567890123456',
        type: 'leadgen',
        data: expect.objectContaining({ leadId: '1234567890123456', formId: '918273645500001' }),
      }),
    ]);
    const text = await request.text();
    const tampered = new Request(request.url, {
      method: 'POST',
      headers: request.headers,
      body: text.replace('1234567890123456', '1234567890123457'),
    });
    expect(WebhookVerificationError.isInstance(await rejection(meta.webhooks.events.verify(tampered)))).toBe(true);
  });

  it('stores a signed delivery of an unknown shape instead of refusing it', async () => {
    const meta = createMetaConnector({ accessToken: ACCESS_TOKEN, appSecret: APP_SECRET });
    const payload = JSON.stringify({ something: 'new', نص: 'مرحبا' });
    const events = await meta.webhooks.events.verify(
      new Request('https://crm.hospital.sa/hooks/meta', {
        method: 'POST',
        headers: { 'x-hub-signature-256': signGraphPayload(payload, APP_SECRET) },
        body: payload,
      }),
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe('meta.unknown');
  });
});

describe('subscription handshake', () => {
  const url = 'https://crm.hospital.sa/hooks/meta';

  it('echoes hub.challenge as text/plain for the right token', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 8, maxLength: 64 }),
        fc.oneof(fc.stringMatching(/^[0-9]{1,20}$/), fc.string({ minLength: 1, maxLength: 100 })),
        async (token, challenge) => {
          const response = answerGraphHandshake(graphHandshakeRequest(url, token, challenge), token);
          expect(response?.status).toBe(200);
          expect(response?.headers.get('content-type')).toMatch(/^text\/plain/);
          expect(await response?.text()).toBe(challenge);
        },
      ),
    );
  });

  it('answers 403 for a wrong token, a wrong mode, no token configured', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 8, maxLength: 64 }), fc.string({ maxLength: 64 }), async (token, other) => {
        fc.pre(token !== other);
        const response = answerGraphHandshake(graphHandshakeRequest(url, other), token);
        expect(response?.status).toBe(403);
        expect(await response?.text()).not.toContain('1158201444');
      }),
    );
    const wrongMode = new Request(`${url}?hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`);
    expect(answerGraphHandshake(wrongMode, VERIFY_TOKEN)?.status).toBe(403);
    expect(answerGraphHandshake(graphHandshakeRequest(url, VERIFY_TOKEN), undefined)?.status).toBe(403);
    // Not a handshake at all: left to the POST handling.
    expect(answerGraphHandshake(new Request(url), VERIFY_TOKEN)).toBeUndefined();
    expect(answerGraphHandshake(new Request(url, { method: 'POST', body: '{}' }), VERIFY_TOKEN)).toBeUndefined();
  });

  it('is answered by the connector instance', async () => {
    const meta = createMetaConnector({ accessToken: ACCESS_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN });
    const ok = await meta.webhooks.events.handshake?.(graphHandshakeRequest(url, VERIFY_TOKEN, '987654'));
    expect(ok?.status).toBe(200);
    expect(await ok?.text()).toBe('987654');
    const bad = await meta.webhooks.events.handshake?.(graphHandshakeRequest(url, `${VERIFY_TOKEN}x`));
    expect(bad?.status).toBe(403);
  });
});
