import { createHmac } from 'node:crypto';
import { STOP_PROMOTIONS_WORDS } from '@hmi/connector-whatsapp';
import {
  inboundTextPayload,
  quickReplyPayload,
  signedWhatsAppWebhook,
  statusPayload,
  templateStatusPayload,
  whatsAppHandshakeRequest,
} from '@hmi/connector-whatsapp/msw';
import { type ConsentEvent, ValidationError, WebhookVerificationError } from '@hmi/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  APP_SECRET,
  connectorFor,
  fakeTime,
  HOUR,
  inboundStore,
  PATIENT,
  rejection,
  startFakeWhatsApp,
  VERIFY_TOKEN,
} from './harness.js';

const URL_ = 'https://crm.hospital.sa/webhooks/whatsapp';
const fake = startFakeWhatsApp();
afterAll(() => fake.close());

const arabic = fc.string({
  unit: fc.constantFrom(...'ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى ًٌٍَُِّْ٠١٢٣٤٥٦٧٨٩،؟'.split('')),
  minLength: 1,
  maxLength: 200,
});
const secret = fc.string({ minLength: 8, maxLength: 64 });
// Node's HMAC over the UTF-8 bytes: an independent reference, not the helper under test.
const sign = (body: Uint8Array, key: string) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
const raw = (body: Uint8Array, header: string) => ({
  rawBody: body,
  headers: new Headers({ 'x-hub-signature-256': header, 'content-type': 'application/json' }),
  method: 'POST',
  url: URL_,
});

describe('signed status webhooks', () => {
  it('accept a status signed with a random secret, and refuse it when any byte changes', async () => {
    await fc.assert(
      fc.asyncProperty(secret, arabic, fc.nat(), fc.integer({ min: 1, max: 255 }), async (key, word, at, delta) => {
        const wa = connectorFor(fake, { appSecret: key });
        const payload = statusPayload({ id: 'wamid.HBgMOTY2NTUxMjM0NTY3', recipient: PATIENT, status: 'delivered' });
        // Arabic in the body: a template status change carries the reason, an inbound message text.
        const body = Buffer.from(JSON.stringify({ ...payload, note: word }), 'utf8');
        const events = await wa.webhooks.events.verify(raw(body, sign(body, key)));
        expect(events[0]).toMatchObject({ type: 'message.delivered', data: { status: 'delivered', to: PATIENT } });
        const tampered = Buffer.from(body);
        const i = at % tampered.length;
        tampered[i] = (tampered[i]! + delta) % 256;
        const error = await rejection(wa.webhooks.events.verify(raw(tampered, sign(body, key))));
        expect(WebhookVerificationError.isInstance(error)).toBe(true);
        const other = await rejection(wa.webhooks.events.verify(raw(body, sign(body, `${key}x`))));
        expect(WebhookVerificationError.isInstance(other)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('refuse a missing or malformed signature, and any delivery when no appSecret is set', async () => {
    const body = Buffer.from(JSON.stringify(statusPayload({ id: 'wamid.A', recipient: PATIENT, status: 'sent' })));
    const wa = connectorFor(fake);
    for (const header of ['', 'sha256=', 'sha1=abc', `sha256=${'0'.repeat(64)}`]) {
      expect(WebhookVerificationError.isInstance(await rejection(wa.webhooks.events.verify(raw(body, header))))).toBe(true);
    }
    const error = await rejection(
      connectorFor(fake, { appSecret: undefined }).webhooks.events.verify(raw(body, sign(body, APP_SECRET))),
    );
    expect((error as Error).name).toBe('ConfigError');
  });

  it('answer the GET handshake with the verify token only', async () => {
    const wa = connectorFor(fake);
    const ok = await wa.webhooks.events.handshake!(whatsAppHandshakeRequest(URL_, VERIFY_TOKEN, '8842'));
    expect(ok?.status).toBe(200);
    expect(await ok?.text()).toBe('8842');
    const bad = await wa.webhooks.events.handshake!(whatsAppHandshakeRequest(URL_, 'wrong-token-123', '8842'));
    expect(bad?.status).toBe(403);
    expect(await wa.webhooks.events.handshake!(new Request(URL_, { method: 'POST', body: '{}' }))).toBeUndefined();
  });
});

describe('mapping', () => {
  it('maps statuses, with 131026 as undelivered (the SMS fallback’s cue)', async () => {
    const wa = connectorFor(fake);
    const failed = await wa.webhooks.events.verify(
      signedWhatsAppWebhook(
        URL_,
        statusPayload({ id: 'wamid.F1', recipient: PATIENT, status: 'failed', errorCode: 131026 }),
        APP_SECRET,
      ),
    );
    expect(failed).toEqual([
      expect.objectContaining({
        id: 'wamid.F1:failed',
        type: 'message.undelivered',
        data: expect.objectContaining({ errorCode: '131026', channel: 'whatsapp' }),
      }),
    ]);
    const read = await wa.webhooks.events.verify(
      signedWhatsAppWebhook(URL_, statusPayload({ id: 'wamid.R1', recipient: PATIENT, status: 'read' }), APP_SECRET),
    );
    expect(read[0]).toMatchObject({ id: 'wamid.R1:read', type: 'message.read' });
    const other = await wa.webhooks.events.verify(
      signedWhatsAppWebhook(
        URL_,
        statusPayload({ id: 'wamid.F2', recipient: PATIENT, status: 'failed', errorCode: 131049 }),
        APP_SECRET,
      ),
    );
    expect(other[0]).toMatchObject({ type: 'message.failed', data: { errorCode: '131049' } });
  });

  it('turns إيقاف in an inbound message into a consent-revoked event, reported through the gate', async () => {
    const seen: ConsentEvent[] = [];
    const wa = connectorFor(fake, { consent: { onEvent: (e) => void seen.push(e) } });
    for (const word of ['إيقاف', ' ايقاف ', 'إيـــقاف', 'STOP']) {
      seen.length = 0;
      const events = await wa.webhooks.events.verify(
        signedWhatsAppWebhook(URL_, inboundTextPayload({ from: '966551234567', text: word }), APP_SECRET),
      );
      expect(events.map((e) => e.type)).toEqual(['message.received', 'consent.revoked']);
      const consent = events[1]!.data as ConsentEvent;
      expect(consent).toMatchObject({
        type: 'consent.revoked',
        recipient: PATIENT,
        channel: 'whatsapp',
        purpose: 'all',
        source: 'whatsapp-keyword',
      });
      expect(seen).toEqual([consent]);
    }
    const plain = await wa.webhooks.events.verify(
      signedWhatsAppWebhook(URL_, inboundTextPayload({ from: '966551234567', text: 'أريد إيقاف الموعد فقط' }), APP_SECRET),
    );
    expect(plain.map((e) => e.type)).toEqual(['message.received']);
    expect(plain[0]!.data).toMatchObject({ direction: 'inbound', from: PATIENT, body: 'أريد إيقاف الموعد فقط' });
  });

  it('turns a STOP quick-reply into consent.revoked, and "Stop promotions" into a marketing-only revocation', async () => {
    const wa = connectorFor(fake);
    const stop = await wa.webhooks.events.verify(
      signedWhatsAppWebhook(URL_, quickReplyPayload({ from: PATIENT, text: 'إيقاف' }), APP_SECRET),
    );
    expect(stop[1]).toMatchObject({ type: 'consent.revoked', data: { purpose: 'all', source: 'whatsapp-quick-reply' } });
    for (const word of STOP_PROMOTIONS_WORDS) {
      const promo = await wa.webhooks.events.verify(
        signedWhatsAppWebhook(URL_, quickReplyPayload({ from: PATIENT, text: word }), APP_SECRET),
      );
      expect(promo[1]).toMatchObject({ type: 'consent.revoked', data: { purpose: 'marketing', channel: 'whatsapp' } });
    }
    const confirm = await wa.webhooks.events.verify(
      signedWhatsAppWebhook(URL_, quickReplyPayload({ from: PATIENT, text: 'تأكيد' }), APP_SECRET),
    );
    expect(confirm.map((e) => e.type)).toEqual(['message.received']);
  });

  it('records the inbound time, which opens the 24-hour window for sendText', async () => {
    const store = inboundStore();
    const timestamp = 1_764_752_142;
    const time = fakeTime(timestamp * 1000 + HOUR);
    const wa = connectorFor(fake, { lastInbound: store.lastInbound, recordInbound: store.recordInbound }, time);
    await expect(wa.actions.sendText({ to: PATIENT, text: 'أهلاً' })).rejects.toThrow(/template/);
    await wa.webhooks.events.verify(
      signedWhatsAppWebhook(URL_, inboundTextPayload({ from: PATIENT, text: 'متى موعدي؟', timestamp }), APP_SECRET),
    );
    expect(store.map.get(PATIENT)?.getTime()).toBe(timestamp * 1000);
    expect((await wa.actions.sendText({ to: PATIENT, text: 'موعدك الأحد' })).category).toBe('service');
    time.advance(24 * HOUR);
    await expect(wa.actions.sendText({ to: PATIENT, text: 'أهلاً' })).rejects.toThrow(/template/);
  });

  it('maps template status changes', async () => {
    const wa = connectorFor(fake);
    const events = await wa.webhooks.events.verify(
      signedWhatsAppWebhook(
        URL_,
        templateStatusPayload({
          templateId: '1024000000000006',
          name: 'ramadan_offer',
          language: 'ar',
          event: 'REJECTED',
          reason: 'INCORRECT_CATEGORY',
        }),
        APP_SECRET,
      ),
    );
    expect(events).toEqual([
      expect.objectContaining({
        type: 'template.status',
        data: {
          templateId: '1024000000000006',
          name: 'ramadan_offer',
          language: 'ar',
          status: 'REJECTED',
          reason: 'INCORRECT_CATEGORY',
        },
      }),
    ]);
  });

  it('stores a signed body of any shape; a mapping failure is a ValidationError for the dead-letter queue', async () => {
    const wa = connectorFor(fake);
    const unknown = await wa.webhooks.events.receive(signedWhatsAppWebhook(URL_, [1, 2, 3], APP_SECRET));
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.data).toMatchObject({ item: [1, 2, 3] });
    const odd = statusPayload({ id: 'wamid.X', recipient: PATIENT, status: 'sent' });
    const item = (odd.entry[0]!.changes[0]!.value as { statuses: Array<Record<string, unknown>> }).statuses[0]!;
    item.status = 'played';
    const played = await wa.webhooks.events.receive(signedWhatsAppWebhook(URL_, odd, APP_SECRET));
    expect(played[0]!.id).toBe('wamid.X:played');
    // A status with no canonical word passes through for the host; a status without its recipient cannot be mapped.
    expect(await wa.webhooks.events.map(played[0]!)).toEqual(played);
    item.status = 'delivered';
    delete item.recipient_id;
    const received = await wa.webhooks.events.receive(signedWhatsAppWebhook(URL_, odd, APP_SECRET));
    expect(ValidationError.isInstance(await rejection(wa.webhooks.events.map(received[0]!)))).toBe(true);
    const notJson = Buffer.from('not json', 'utf8');
    expect(ValidationError.isInstance(await rejection(wa.webhooks.events.receive(raw(notJson, sign(notJson, APP_SECRET)))))).toBe(
      true,
    );
  });
});
