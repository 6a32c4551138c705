import { ConfigError, type ConsentEvent, type Message, ValidationError, WebhookVerificationError } from '@hmi/core';
import { computeTwilioSignature, createTwilioConnector } from '@hmi/connector-twilio';
import { FIXTURE_ACCOUNT_SID, FIXTURE_MESSAGING_SERVICE_SID, signedTwilioWebhook } from '@hmi/connector-twilio/msw';
import { describe, expect, it } from 'vitest';
import { AUTH_TOKEN, rejection } from './harness.js';

const NOW = new Date('2026-03-01T09:00:00Z');
const STATUS_URL = 'https://crm.hospital.sa/twilio/status?tenant=riyadh';
const INBOUND_URL = 'https://crm.hospital.sa/twilio/inbound';
const SID = 'SM0123456789abcdef0123456789abcdef';

function connector(extra: Record<string, unknown> = {}) {
  const events: ConsentEvent[] = [];
  const twilio = createTwilioConnector({
    accountSid: FIXTURE_ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    messagingServiceSid: FIXTURE_MESSAGING_SERVICE_SID,
    now: () => NOW,
    consent: { onEvent: (e) => void events.push(e) },
    ...extra,
  });
  return { twilio, events };
}

function statusParams(status: string, extra: Record<string, string> = {}) {
  return {
    AccountSid: FIXTURE_ACCOUNT_SID,
    ApiVersion: '2010-04-01',
    From: '+966112345678',
    MessageSid: SID,
    MessageStatus: status,
    MessagingServiceSid: FIXTURE_MESSAGING_SERVICE_SID,
    SmsSid: SID,
    SmsStatus: status,
    To: '+966555123456',
    ...extra,
  };
}

describe('status callbacks', () => {
  it.each([
    ['queued', 'queued'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['undelivered', 'undelivered'],
    ['failed', 'failed'],
    ['read', 'read'],
  ])('maps %s to Message status %s, with MessageSid+status as the event id', async (twilioStatus, status) => {
    const { twilio } = connector();
    const request = signedTwilioWebhook({ url: STATUS_URL, params: statusParams(twilioStatus), authToken: AUTH_TOKEN });
    const [event, ...rest] = await twilio.webhooks.statusCallback.verify(request);
    expect(rest).toHaveLength(0);
    expect(event).toMatchObject({ id: `${SID}:${twilioStatus}`, type: `message.${status}`, connector: 'twilio' });
    expect(event?.data).toMatchObject({ id: SID, status, to: '+966555123456', from: '+966112345678', direction: 'outbound' });
  });

  it('carries delivery error codes 30003–30008', async () => {
    const { twilio } = connector();
    for (const code of ['30003', '30004', '30005', '30006', '30007', '30008']) {
      const request = signedTwilioWebhook({
        url: STATUS_URL,
        params: statusParams('undelivered', { ErrorCode: code }),
        authToken: AUTH_TOKEN,
      });
      const [event] = await twilio.webhooks.statusCallback.verify(request);
      expect((event?.data as Message | undefined)?.errorCode).toBe(code);
    }
  });

  it('a failed callback with 21610 also reports consent.revoked', async () => {
    const { twilio, events } = connector();
    const request = signedTwilioWebhook({
      url: STATUS_URL,
      params: statusParams('failed', { ErrorCode: '21610' }),
      authToken: AUTH_TOKEN,
    });
    const result = await twilio.webhooks.statusCallback.verify(request);
    expect(result.map((e) => e.type)).toEqual(['message.failed', 'consent.revoked']);
    expect(events).toEqual([
      expect.objectContaining({ type: 'consent.revoked', recipient: '+966555123456', purpose: 'all', source: 'vendor-error' }),
    ]);
  });

  it('refuses a missing, wrong or replayed-to-another-URL signature', async () => {
    const { twilio } = connector();
    const params = statusParams('delivered');
    const good = signedTwilioWebhook({ url: STATUS_URL, params, authToken: AUTH_TOKEN });
    const unsigned = new Request(good.url, {
      method: 'POST',
      body: await good.clone().text(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(WebhookVerificationError.isInstance(await rejection(twilio.webhooks.statusCallback.verify(unsigned)))).toBe(true);
    const forged = signedTwilioWebhook({ url: STATUS_URL, params, authToken: 'not-the-token' });
    expect(WebhookVerificationError.isInstance(await rejection(twilio.webhooks.statusCallback.verify(forged)))).toBe(true);
    const signature = good.headers.get('x-twilio-signature') as string;
    const moved = new Request(INBOUND_URL, {
      method: 'POST',
      body: await good.clone().text(),
      headers: { 'x-twilio-signature': signature },
    });
    expect(WebhookVerificationError.isInstance(await rejection(twilio.webhooks.statusCallback.verify(moved)))).toBe(true);
    const tampered = new Request(STATUS_URL, {
      method: 'POST',
      body: new URLSearchParams({ ...params, MessageStatus: 'failed' }).toString(),
      headers: { 'x-twilio-signature': signature },
    });
    expect(WebhookVerificationError.isInstance(await rejection(twilio.webhooks.statusCallback.verify(tampered)))).toBe(true);
  });

  it('refuses a signed but malformed callback with a ValidationError', async () => {
    const { twilio } = connector();
    const request = signedTwilioWebhook({
      url: STATUS_URL,
      params: { MessageStatus: 'delivered', To: '+966555123456' },
      authToken: AUTH_TOKEN,
    });
    expect(ValidationError.isInstance(await rejection(twilio.webhooks.statusCallback.verify(request)))).toBe(true);
    const badStatus = signedTwilioWebhook({ url: STATUS_URL, params: statusParams('vanished'), authToken: AUTH_TOKEN });
    expect(ValidationError.isInstance(await rejection(twilio.webhooks.statusCallback.verify(badStatus)))).toBe(true);
  });

  // Issue 11 #10: the signature is checked before the body is read in any way.
  it.each([
    ['Body=a', new TextEncoder().encode('Body=a')],
    ['Body=\\xff', new Uint8Array([...new TextEncoder().encode('Body='), 0xff])],
    ['binary', new Uint8Array([0xff, 0xfe, 0x41])],
    ['Body=%FF', new TextEncoder().encode('Body=%FF')],
  ])('refuses an unsigned %s with a WebhookVerificationError (401), never a parse error', async (_, body) => {
    const { twilio } = connector();
    for (const hook of [twilio.webhooks.statusCallback, twilio.webhooks.inboundSms]) {
      const request = new Request(INBOUND_URL, { method: 'POST', body, headers: { 'x-twilio-signature': 'x' } });
      const error = await rejection(hook.verify(request));
      expect(WebhookVerificationError.isInstance(error)).toBe(true);
      expect(ValidationError.isInstance(error)).toBe(false);
    }
  });

  it('holds a correctly signed form body to strict UTF-8 only after the signature passed', async () => {
    const { twilio } = connector();
    const bytes = new Uint8Array([
      ...new TextEncoder().encode(`MessageSid=${SID}&From=%2B966555123456&To=%2B966112345678&Body=`),
      0xff,
    ]);
    // Twilio signs the parameters as decoded; a lenient decode gives U+FFFD for the stray byte.
    const signature = computeTwilioSignature(AUTH_TOKEN, INBOUND_URL, {
      MessageSid: SID,
      From: '+966555123456',
      To: '+966112345678',
      Body: '\uFFFD',
    });
    const request = new Request(INBOUND_URL, { method: 'POST', body: bytes, headers: { 'x-twilio-signature': signature } });
    const error = await rejection(twilio.webhooks.inboundSms.verify(request));
    expect(ValidationError.isInstance(error)).toBe(true);
  });

  it('verifies behind a proxy with webhookOrigin, and with or without :443', async () => {
    const { twilio } = connector({ webhookOrigin: 'https://crm.hospital.sa' });
    const params = statusParams('delivered');
    const signature = computeTwilioSignature(AUTH_TOKEN, STATUS_URL, params);
    const internal = new Request('http://10.0.0.5:8080/twilio/status?tenant=riyadh', {
      method: 'POST',
      body: new URLSearchParams(params).toString(),
      headers: { 'x-twilio-signature': signature },
    });
    await expect(twilio.webhooks.statusCallback.verify(internal)).resolves.toHaveLength(1);
    const withPort = computeTwilioSignature(AUTH_TOKEN, 'https://crm.hospital.sa:443/twilio/status?tenant=riyadh', params);
    const { twilio: direct } = connector();
    const request = new Request(STATUS_URL, {
      method: 'POST',
      body: new URLSearchParams(params).toString(),
      headers: { 'x-twilio-signature': withPort },
    });
    await expect(direct.webhooks.statusCallback.verify(request)).resolves.toHaveLength(1);
  });

  it('verifies a JSON body through bodySHA256', async () => {
    const { twilio } = connector();
    const request = signedTwilioWebhook({ url: STATUS_URL, json: statusParams('delivered'), authToken: AUTH_TOKEN });
    const body = await request.clone().text();
    expect(new URL(request.url).searchParams.get('bodySHA256')).toMatch(/^[0-9a-f]{64}$/);
    const [event] = await twilio.webhooks.statusCallback.verify(request);
    expect(event?.type).toBe('message.delivered');
    const changed = new Request(request.url, {
      method: 'POST',
      body: body.replace('delivered', 'failed'),
      headers: request.headers,
    });
    expect(WebhookVerificationError.isInstance(await rejection(twilio.webhooks.statusCallback.verify(changed)))).toBe(true);
  });

  it('needs the auth token: an API-key-only connector refuses webhooks with a ConfigError', async () => {
    const twilio = createTwilioConnector({
      accountSid: FIXTURE_ACCOUNT_SID,
      apiKeySid: `SK${'1'.repeat(32)}`,
      apiKeySecret: 'secret-secret',
      messagingServiceSid: FIXTURE_MESSAGING_SERVICE_SID,
    });
    const request = signedTwilioWebhook({ url: STATUS_URL, params: statusParams('sent'), authToken: AUTH_TOKEN });
    expect(ConfigError.isInstance(await rejection(twilio.webhooks.statusCallback.verify(request)))).toBe(true);
  });
});

function inbound(body: string, from = '+966555123456') {
  return signedTwilioWebhook({
    url: INBOUND_URL,
    params: {
      AccountSid: FIXTURE_ACCOUNT_SID,
      ApiVersion: '2010-04-01',
      Body: body,
      From: from,
      FromCountry: 'SA',
      MessageSid: SID,
      MessagingServiceSid: FIXTURE_MESSAGING_SERVICE_SID,
      NumMedia: '0',
      NumSegments: '1',
      SmsSid: SID,
      SmsStatus: 'received',
      To: '+966112345678',
    },
    authToken: AUTH_TOKEN,
  });
}

describe('inbound SMS', () => {
  it('maps an ordinary reply to an inbound Message and no consent event', async () => {
    const { twilio, events } = connector();
    const result = await twilio.webhooks.inboundSms.verify(inbound('سأحضر في الموعد، شكراً'));
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ id: SID, type: 'message.received' });
    expect(result[0]?.data).toMatchObject({
      direction: 'inbound',
      status: 'received',
      from: '+966555123456',
      to: '+966112345678',
      body: 'سأحضر في الموعد، شكراً',
      segments: { encoding: 'UCS-2' },
    });
    expect(events).toHaveLength(0);
  });

  it.each(['STOP', 'stop', 'إيقاف', 'الغاء', ' توقف '])('%s becomes consent.revoked through the gate', async (word) => {
    const { twilio, events } = connector();
    const result = await twilio.webhooks.inboundSms.verify(inbound(word));
    expect(result.map((e) => e.type)).toEqual(['message.received', 'consent.revoked']);
    expect(result[1]?.id).toBe(`${SID}:consent`);
    expect(events).toEqual([
      {
        type: 'consent.revoked',
        recipient: '+966555123456',
        channel: 'sms',
        purpose: 'all',
        source: 'sms-keyword',
        keyword: word.trim(),
        occurredAt: NOW.toISOString(),
        connector: 'twilio',
      },
    ]);
  });

  it('START becomes consent.granted; HELP an sms.help event', async () => {
    const { twilio, events } = connector();
    const start = await twilio.webhooks.inboundSms.verify(inbound('Start'));
    expect(start.map((e) => e.type)).toEqual(['message.received', 'consent.granted']);
    const help = await twilio.webhooks.inboundSms.verify(inbound('HELP'));
    expect(help.map((e) => e.type)).toEqual(['message.received', 'sms.help']);
    expect(events.map((e) => e.type)).toEqual(['consent.granted']);
  });

  it('uses the configured keyword lists', async () => {
    const { twilio, events } = connector({ keywords: { optOut: ['لا أريد'] } });
    await twilio.webhooks.inboundSms.verify(inbound('لا أريد'));
    expect(events.map((e) => e.type)).toEqual(['consent.revoked']);
  });

  it('a failing consent store does not fail the webhook (Twilio would redeliver)', async () => {
    const twilio = createTwilioConnector({
      accountSid: FIXTURE_ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      messagingServiceSid: FIXTURE_MESSAGING_SERVICE_SID,
      consent: {
        onEvent: () => {
          throw new Error('db down');
        },
      },
    });
    await expect(twilio.webhooks.inboundSms.verify(inbound('STOP'))).resolves.toHaveLength(2);
  });
});
