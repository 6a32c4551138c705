import { type ConsentEvent, ConfigError, ValidationError, WebhookVerificationError } from '@hmi/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSendGridWebhookSigner, eventWebhookBody } from '../src/msw/index.js';
import { createSendGridConnector, type SendGridEventData } from '../src/index.js';
import { API_KEY, PATIENT_EMAIL } from './harness.js';
import { readSpec } from './mail-spec.js';

const signer = createSendGridWebhookSigner();
const NOW = Math.floor(Date.now() / 1000);

function connector(onEvent?: (e: ConsentEvent) => void, publicKey: string | null = signer.publicKey) {
  return createSendGridConnector({
    apiKey: API_KEY,
    from: 'noreply@hospital.example',
    ...(publicKey !== null && { eventWebhookPublicKey: publicKey }),
    ...(onEvent && { consent: { onEvent } }),
  });
}

// Hand-written events in SendGrid's documented shape; custom args sit at the top level.
const base = (event: string, id: string, extra: Record<string, unknown> = {}) => ({
  email: PATIENT_EMAIL,
  timestamp: NOW - 10,
  'smtp-id': '<abc@sendgrid.net>',
  event,
  sg_event_id: id,
  sg_message_id: 'xMsgId123.filterdrecv-5645d9c87f-6r2ch-1-5F5FC76C-9.0',
  hmi_purpose: 'marketing',
  hmi_contact_id: 'contact-42',
  hmi_send_id: 'send-1',
  category: ['campaign'],
  ...extra,
});

const ALL = [
  base('processed', 'e1'),
  base('deferred', 'e2', { response: '400 try again later', attempt: '5' }),
  base('delivered', 'e3', { response: '250 OK' }),
  base('open', 'e4', { useragent: 'Mozilla', ip: '1.2.3.4', sg_machine_open: false }),
  base('click', 'e5', { url: 'https://hospital.example/offer?lang=ar' }),
  base('bounce', 'e6', {
    reason: '550 5.1.1 user unknown',
    status: '5.1.1',
    type: 'bounce',
    bounce_classification: 'Invalid Address',
  }),
  base('dropped', 'e7', { reason: 'Bounced Address' }),
  base('spamreport', 'e8'),
  base('unsubscribe', 'e9'),
  base('group_unsubscribe', 'e10', { asm_group_id: 321 }),
  base('group_resubscribe', 'e11', { asm_group_id: 321 }),
  base('machine_opened_some_future_event', 'e12'),
];

afterEach(() => {
  vi.useRealTimers();
});

describe('events webhook: verify, parse, map', () => {
  it('maps every event type to status, engagement and consent changes, with sg_event_id as the id', async () => {
    const consent: ConsentEvent[] = [];
    const events = await connector((e) => consent.push(e)).webhooks.events.verify(signer.request(ALL));
    expect(events.map((e) => e.id)).toEqual(ALL.map((e) => e.sg_event_id));
    const data = events.map((e) => e.data as SendGridEventData);
    expect(events.every((e) => e.connector === 'sendgrid' && e.type === `sendgrid.${(e.data as SendGridEventData).event}`)).toBe(
      true,
    );
    expect(data.map((d) => d.status)).toEqual([
      'sending',
      'deferred',
      'delivered',
      'opened',
      'clicked',
      'bounced',
      'dropped',
      'spam-reported',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(data.map((d) => d.kind)).toEqual([
      'status',
      'status',
      'status',
      'engagement',
      'engagement',
      'status',
      'status',
      'consent',
      'consent',
      'consent',
      'consent',
      'other',
    ]);
    expect(data[0]).toMatchObject({
      messageId: 'xMsgId123',
      contactId: 'contact-42',
      purpose: 'marketing',
      sendId: 'send-1',
      categories: ['campaign'],
    });
    expect(data[4]!.engagement).toEqual({ type: 'click', url: 'https://hospital.example/offer?lang=ar' });
    expect(data[3]!.engagement).toEqual({ type: 'open', machineOpen: false });
    expect(data[5]!.failure).toEqual({
      reason: '550 5.1.1 user unknown',
      smtpStatus: '5.1.1',
      bounceType: 'bounce',
      classification: 'Invalid Address',
    });
    expect(events[0]!.occurredAt).toBe(new Date((NOW - 10) * 1000).toISOString());
    // Consent changes went to the gate's emit, in order.
    expect(consent.map((c) => [c.type, c.purpose, c.source])).toEqual([
      ['consent.revoked', 'all', 'spam-report'],
      ['consent.revoked', 'marketing', 'email-unsubscribe'],
      ['consent.revoked', 'marketing', 'email-group-unsubscribe'],
      ['consent.granted', 'marketing', 'email-group-resubscribe'],
    ]);
    expect(consent[0]).toMatchObject({
      recipient: PATIENT_EMAIL,
      channel: 'email',
      contactId: 'contact-42',
      connector: 'sendgrid',
    });
    expect(data[9]!.consent).toEqual(consent[2]);
    expect(data[9]!.asmGroupId).toBe(321);
  });

  it('duplicates within a delivery (same sg_event_id) are dropped, keeping the first; consent is emitted once', async () => {
    const onEvent = vi.fn();
    const events = await connector(onEvent).webhooks.events.verify(
      signer.request([base('unsubscribe', 'dup'), base('delivered', 'd2'), base('unsubscribe', 'dup'), base('delivered', 'd2')]),
    );
    expect(events.map((e) => e.id)).toEqual(['dup', 'd2']);
    expect(onEvent).toHaveBeenCalledTimes(1);
  });

  it('a host whose onEvent throws does not fail the webhook (the opt-out is still returned)', async () => {
    const events = await connector(() => {
      throw new Error('db down');
    }).webhooks.events.verify(signer.request([base('unsubscribe', 'u1')]));
    expect((events[0]!.data as SendGridEventData).consent?.type).toBe('consent.revoked');
  });

  it('the published vectors pass through the webhook at their own time (raw body with CRLF)', async () => {
    const { vectors } = readSpec<{
      vectors: Array<{ publicKey: string; signature: string; timestamp: string; payload: string }>;
    }>('webhook-test-vectors/sendgrid-event-webhook.json');
    for (const v of vectors) {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Number(v.timestamp) * 1000);
      const request = new Request('https://crm.example/sg', {
        method: 'POST',
        headers: { 'X-Twilio-Email-Event-Webhook-Signature': v.signature, 'X-Twilio-Email-Event-Webhook-Timestamp': v.timestamp },
        body: v.payload,
      });
      const events = await connector(undefined, v.publicKey).webhooks.events.verify(request);
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => (e.data as SendGridEventData).messageId !== undefined)).toBe(true);
      vi.useRealTimers();
    }
  });
});

describe('events webhook: refusals', () => {
  const sg = connector();

  it('a wrong signature, another key, a changed body or missing headers → WebhookVerificationError', async () => {
    const other = createSendGridWebhookSigner();
    await expect(sg.webhooks.events.verify(other.request(ALL))).rejects.toSatisfy(WebhookVerificationError.isInstance);
    const body = eventWebhookBody([base('delivered', 'x')]);
    const headers = signer.sign(body);
    const changed = new Request('https://crm.example/sg', { method: 'POST', headers, body: body.replace('delivered', 'bounce') });
    await expect(sg.webhooks.events.verify(changed)).rejects.toSatisfy(WebhookVerificationError.isInstance);
    const unsigned = new Request('https://crm.example/sg', { method: 'POST', body });
    await expect(sg.webhooks.events.verify(unsigned)).rejects.toSatisfy(WebhookVerificationError.isInstance);
  });

  it('a replay outside 300 s (past or future) is refused', async () => {
    await expect(sg.webhooks.events.verify(signer.request(ALL, { timestamp: NOW - 301 }))).rejects.toThrow(
      /outside the allowed window/,
    );
    await expect(sg.webhooks.events.verify(signer.request(ALL, { timestamp: NOW + 400 }))).rejects.toThrow(
      /outside the allowed window/,
    );
    await expect(sg.webhooks.events.verify(signer.request(ALL, { timestamp: NOW - 200 }))).resolves.toHaveLength(ALL.length);
  });

  it('no key, or a key that is not P-256 → ConfigError (nothing is accepted unsigned)', async () => {
    await expect(connector(undefined, null).webhooks.events.verify(signer.request(ALL))).rejects.toSatisfy(
      ConfigError.isInstance,
    );
    await expect(connector(undefined, 'garbage').webhooks.events.verify(signer.request(ALL))).rejects.toSatisfy(
      ConfigError.isInstance,
    );
  });

  it.each([
    ['not JSON', '[{"event":'],
    ['not an array', '{"event":"delivered"}'],
    ['an event without sg_event_id', JSON.stringify([{ email: 'a@b.c', event: 'delivered', timestamp: 1 }])],
    ['a string timestamp', JSON.stringify([{ email: 'a@b.c', event: 'delivered', timestamp: 'x', sg_event_id: 'a' }])],
    ['a timestamp past year 9999', JSON.stringify([{ email: 'a@b.c', event: 'delivered', timestamp: 1e15, sg_event_id: 'a' }])],
  ])('signed but %s → ValidationError, no consent emitted', async (_, body) => {
    const onEvent = vi.fn();
    const request = new Request('https://crm.example/sg', { method: 'POST', headers: signer.sign(body), body });
    const error = await connector(onEvent)
      .webhooks.events.verify(request)
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('signed bytes that are not UTF-8 → ValidationError', async () => {
    const body = new Uint8Array([0x5b, 0xff, 0xfe, 0x5d]);
    const request = { method: 'POST', url: 'https://crm.example/sg', headers: new Headers(signer.sign(body)), rawBody: body };
    await expect(sg.webhooks.events.verify(request)).rejects.toSatisfy(ValidationError.isInstance);
  });
});
