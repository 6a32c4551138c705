import {
  ApiError,
  AuthError,
  ConfigError,
  type ConsentEvent,
  ConsentError,
  RateLimitError,
  ValidationError,
  isHmiError,
} from '@hmi/core';
import { type TwilioConfigInput, createTwilioConnector } from '@hmi/connector-twilio';
import { FIXTURE_ACCOUNT_SID, FIXTURE_MESSAGING_SERVICE_SID } from '@hmi/connector-twilio/msw';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUTH_TOKEN, BASE_URL, connectorFor, rejection, startFakeTwilio } from './harness.js';

const NOW = new Date('2026-03-01T09:00:00Z');
const clock = () => NOW;
let fake: ReturnType<typeof startFakeTwilio>;

beforeAll(() => {
  fake = startFakeTwilio({ now: clock });
});
afterEach(() => {
  fake.server.resetHandlers();
  fake.calls.length = 0;
  fake.requests.length = 0;
  fake.state.clearFailures();
});
afterAll(() => fake.close());

const MESSAGES_URL = `${BASE_URL}/2010-04-01/Accounts/${FIXTURE_ACCOUNT_SID}/Messages.json`;

describe('sendSms', () => {
  it('sends a transactional SMS as a form POST and returns the canonical Message with segments', async () => {
    const twilio = connectorFor(fake, { now: clock, statusCallbackUrl: 'https://crm.example.sa/twilio/status' });
    const message = await twilio.actions.sendSms({
      to: '0555123456',
      body: 'تذكير: موعدكم غداً الساعة 10:30',
      purpose: 'transactional',
      contactId: 'c-1',
    });
    expect(message).toMatchObject({
      channel: 'sms',
      direction: 'outbound',
      to: '+966555123456',
      status: 'accepted',
      purpose: 'transactional',
      contactId: 'c-1',
      segments: { encoding: 'UCS-2', segments: 1, units: 31 },
      source: { system: 'twilio' },
    });
    expect(message.id).toMatch(/^SM[0-9a-f]{32}$/);
    expect(fake.calls).toHaveLength(1);
    const request = fake.calls[0] as Request;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(MESSAGES_URL);
    expect(request.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request.headers.get('authorization')).toBe(
      `Basic ${Buffer.from(`${FIXTURE_ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`,
    );
    // Twilio has no idempotency keys on Messages: none is sent, so nothing pretends otherwise.
    expect(request.headers.get('idempotency-key')).toBeNull();
    expect(fake.requests[0]?.form).toEqual({
      To: '+966555123456',
      Body: 'تذكير: موعدكم غداً الساعة 10:30',
      MessagingServiceSid: FIXTURE_MESSAGING_SERVICE_SID,
      StatusCallback: 'https://crm.example.sa/twilio/status',
    });
  });

  it.each([
    ['SA', '0555123456', '+966555123456'],
    ['SA', '٠٥٥٥١٢٣٤٥٦', '+966555123456'],
    ['SA', '+966 55 512 3456', '+966555123456'],
    ['SA', '00966555123456', '+966555123456'],
    ['AE', '050 123 4567', '+971501234567'],
    ['EG', '01001234567', '+201001234567'],
    ['KW', '50012345', '+96550012345'],
  ])('normalises a %s local number %s to %s', async (region, to, e164) => {
    const twilio = connectorFor(fake, { defaultRegion: region, from: '+966112345678', messagingServiceSid: undefined });
    const message = await twilio.actions.sendSms({ to, body: 'Reminder', purpose: 'transactional' });
    expect(message.to).toBe(e164);
    expect(fake.requests.at(-1)?.form?.To).toBe(e164);
    expect(fake.requests.at(-1)?.form?.From).toBe('+966112345678');
  });

  it('refuses an invalid number with a ValidationError before any request', async () => {
    const twilio = connectorFor(fake);
    for (const to of ['12345', '0555', 'not a number', '+9665551234567890']) {
      const error = await rejection(twilio.actions.sendSms({ to, body: 'x', purpose: 'transactional' }));
      expect(ValidationError.isInstance(error)).toBe(true);
      expect((error as ValidationError).issues[0]?.path).toEqual(['to']);
      expect((error as Error).message).not.toContain(to);
    }
    expect(fake.calls).toHaveLength(0);
  });

  it('refuses an empty or oversized body before any request', async () => {
    const twilio = connectorFor(fake);
    for (const body of ['', 'a'.repeat(1601)]) {
      const error = await rejection(twilio.actions.sendSms({ to: '+966555123456', body, purpose: 'transactional' }));
      expect(ValidationError.isInstance(error)).toBe(true);
    }
    expect(fake.calls).toHaveLength(0);
  });
});

describe('sendSms: consent first', () => {
  it('a refused marketing send makes zero HTTP requests', async () => {
    const check = vi.fn(async () => false);
    const twilio = connectorFor(fake, { consent: { check } });
    const requests: string[] = [];
    twilio.telemetry.on('request:start', (e) => requests.push(e.url));
    const error = await rejection(
      twilio.actions.sendSms({ to: '0555123456', body: 'خصم 20% على الفحص الشامل', purpose: 'marketing', contactId: 'c-9' }),
    );
    expect(ConsentError.isInstance(error)).toBe(true);
    expect((error as ConsentError).reason).toBe('no_consent');
    expect(check).toHaveBeenCalledWith({ recipient: '+966555123456', channel: 'sms', purpose: 'marketing', contactId: 'c-9' });
    expect(fake.calls).toHaveLength(0);
    expect(fake.requests).toHaveLength(0);
    expect(requests).toHaveLength(0);
  });

  it('a marketing send without a consent checker is refused with zero requests', async () => {
    const twilio = connectorFor(fake);
    const error = await rejection(twilio.actions.sendSms({ to: '+966555123456', body: 'Offer', purpose: 'marketing' }));
    expect((error as ConsentError).reason).toBe('no_consent_checker');
    expect(fake.calls).toHaveLength(0);
  });

  it('a failing consent store fails closed with zero requests', async () => {
    const twilio = connectorFor(fake, {
      consent: {
        check: () => {
          throw new Error('db down');
        },
      },
    });
    const error = await rejection(twilio.actions.sendSms({ to: '+966555123456', body: 'Offer', purpose: 'marketing' }));
    expect((error as ConsentError).reason).toBe('check_failed');
    expect(fake.calls).toHaveLength(0);
  });

  it('a consented marketing send goes out; transactional sends never ask', async () => {
    const check = vi.fn(() => true);
    const twilio = connectorFor(fake, { consent: { check } });
    await twilio.actions.sendSms({ to: '+966555123456', body: 'Offer', purpose: 'marketing' });
    await twilio.actions.sendSms({ to: '+966555123456', body: 'Reminder', purpose: 'transactional' });
    expect(check).toHaveBeenCalledTimes(1);
    expect(fake.calls).toHaveLength(2);
  });

  it('quiet hours are checked at the scheduled time, in the recipient time zone', async () => {
    // 09:00Z is 12:00 in Riyadh; quiet 21:00–08:00.
    const twilio = connectorFor(fake, {
      now: clock,
      consent: { check: () => ({ allowed: true, timeZone: 'Asia/Riyadh' }), quietHours: { start: '21:00', end: '08:00' } },
    });
    const late = new Date('2026-03-01T20:00:00Z'); // 23:00 in Riyadh
    const error = await rejection(
      twilio.actions.sendSms({ to: '+966555123456', body: 'Offer', purpose: 'marketing', scheduleAt: late }),
    );
    expect((error as ConsentError).reason).toBe('quiet_hours');
    expect(fake.calls).toHaveLength(0);
    const fine = new Date('2026-03-02T07:00:00Z'); // 10:00 in Riyadh
    const message = await twilio.actions.sendSms({ to: '+966555123456', body: 'Offer', purpose: 'marketing', scheduleAt: fine });
    expect(message.status).toBe('scheduled');
  });

  it('a 21610 (recipient replied STOP) is a ConsentError plus a consent.revoked event', async () => {
    const events: ConsentEvent[] = [];
    const twilio = connectorFor(fake, { consent: { onEvent: (e) => void events.push(e) }, now: clock });
    const error = await rejection(
      twilio.actions.sendSms({ to: '+15005550004', body: 'Reminder', purpose: 'transactional', contactId: 'c-4' }),
    );
    expect(ConsentError.isInstance(error)).toBe(true);
    expect((error as ConsentError).reason).toBe('opted_out');
    expect((error as ConsentError).vendorCode).toBe('21610');
    expect((error as Error).message).not.toContain('5005550004');
    expect(events).toEqual([
      {
        type: 'consent.revoked',
        recipient: '+15005550004',
        channel: 'sms',
        purpose: 'all',
        source: 'vendor-error',
        contactId: 'c-4',
        occurredAt: NOW.toISOString(),
        connector: 'twilio',
      },
    ]);
    expect(fake.calls).toHaveLength(1);
  });
});

describe('sendSms: scheduling', () => {
  const at = (ms: number) => new Date(NOW.getTime() + ms);

  it('sends ScheduleType=fixed and SendAt through the Messaging Service', async () => {
    const twilio = connectorFor(fake, { now: clock });
    const message = await twilio.actions.sendSms({
      to: '+966555123456',
      body: 'Reminder',
      purpose: 'transactional',
      scheduleAt: '2026-03-02T06:00:00.000Z',
    });
    expect(message.status).toBe('scheduled');
    expect(fake.requests[0]?.form).toMatchObject({ ScheduleType: 'fixed', SendAt: '2026-03-02T06:00:00Z' });
  });

  it.each([
    ['14 minutes ahead', at(14 * 60_000), 'too_small'],
    ['in the past', at(-60_000), 'too_small'],
    ['36 days ahead', at(36 * 86_400_000), 'too_big'],
  ])('refuses a schedule %s before any request', async (_label, when, code) => {
    const twilio = connectorFor(fake, { now: clock });
    const error = await rejection(
      twilio.actions.sendSms({ to: '+966555123456', body: 'x', purpose: 'transactional', scheduleAt: when }),
    );
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues[0]).toMatchObject({ path: ['scheduleAt'], code });
    expect(fake.calls).toHaveLength(0);
  });

  it('accepts the edges of the window: 15 minutes and 35 days', async () => {
    const twilio = connectorFor(fake, { now: clock });
    for (const when of [at(15 * 60_000), at(35 * 86_400_000)]) {
      await expect(
        twilio.actions.sendSms({ to: '+966555123456', body: 'x', purpose: 'transactional', scheduleAt: when }),
      ).resolves.toMatchObject({
        status: 'scheduled',
      });
    }
  });

  it('refuses scheduling without a Messaging Service', async () => {
    const twilio = connectorFor(fake, { now: clock, from: '+966112345678' });
    const error = await rejection(
      twilio.actions.sendSms({ to: '+966555123456', body: 'x', purpose: 'transactional', scheduleAt: at(3_600_000) }),
    );
    expect((error as ValidationError).issues[0]?.code).toBe('requires_messaging_service');
    expect(fake.calls).toHaveLength(0);
  });
});

describe('sendSms: errors and retries', () => {
  it('maps 21211 to a non-retried ValidationError that never quotes Twilio’s message', async () => {
    const twilio = connectorFor(fake);
    const error = await rejection(twilio.actions.sendSms({ to: '+15005550001', body: 'x', purpose: 'transactional' }));
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'invalid_phone', vendorCode: '21211', retryable: false, status: 400 });
    expect(JSON.stringify(error)).not.toContain('5005550001');
    expect(fake.calls).toHaveLength(1);
  });

  it('never retries a POST after a 500: the SMS may have gone out', async () => {
    fake.state.failNext({ status: 500, code: 20500, message: 'Internal Server Error' }, 3);
    const twilio = connectorFor(fake);
    const error = await rejection(twilio.actions.sendSms({ to: '+966555123456', body: 'x', purpose: 'transactional' }));
    expect(ApiError.isInstance(error)).toBe(true);
    expect((error as ApiError).retryable).toBe(false);
    expect(fake.calls).toHaveLength(1);
  });

  it('never retries a POST after a timeout, and marks it non-retryable for outboxes', async () => {
    fake.server.use(http.post(MESSAGES_URL, () => new Promise<never>(() => {})));
    const twilio = connectorFor(fake, { timeoutMs: 200 });
    const error = await rejection(twilio.actions.sendSms({ to: '+966555123456', body: 'x', purpose: 'transactional' }));
    expect(isHmiError(error) && error.code).toBe('timeout');
    expect((error as ApiError).retryable).toBe(false);
    expect((error as Error).message).toMatch(/reconcile/);
    expect(fake.calls).toHaveLength(1);
  });

  it('never retries a POST after a dropped connection', async () => {
    fake.server.use(http.post(MESSAGES_URL, () => HttpResponse.error()));
    const twilio = connectorFor(fake);
    const error = await rejection(twilio.actions.sendSms({ to: '+966555123456', body: 'x', purpose: 'transactional' }));
    expect(isHmiError(error) && error.code).toBe('network_error');
    expect((error as ApiError).retryable).toBe(false);
    expect(fake.calls).toHaveLength(1);
  });

  it('a 201 with a garbled body is not retried either', async () => {
    fake.server.use(
      http.post(
        MESSAGES_URL,
        () => new HttpResponse('{"sid": "SM', { status: 201, headers: { 'content-type': 'application/json' } }),
      ),
    );
    const twilio = connectorFor(fake);
    const error = await rejection(twilio.actions.sendSms({ to: '+966555123456', body: 'x', purpose: 'transactional' }));
    expect((error as ApiError).retryable).toBe(false);
    expect(fake.calls).toHaveLength(1);
  });

  it('a 429 / 20429 is a retryable, notProcessed RateLimitError with Retry-After; the core retries sendSms (see README)', async () => {
    fake.state.failNext({ status: 429, code: 20429, headers: { 'retry-after': '0' } });
    const twilio = connectorFor(fake);
    await expect(twilio.actions.sendSms({ to: '+966555123456', body: 'x', purpose: 'transactional' })).resolves.toMatchObject({
      status: 'accepted',
    });
    expect(fake.calls).toHaveLength(2);
    fake.state.failNext({ status: 429, code: 20429, headers: { 'retry-after': '2' } }, 10);
    const error = await rejection(twilio.actions.sendSms({ to: '+966555123456', body: 'x', purpose: 'transactional' }));
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true, notProcessed: true, retryAfterMs: 2000, vendorCode: '20429' });
    fake.state.clearFailures();
  });

  it('maps 20003 to an AuthError', async () => {
    const twilio = connectorFor(fake, { authToken: 'wrong-token-123456' });
    const error = await rejection(twilio.actions.sendSms({ to: '+966555123456', body: 'x', purpose: 'transactional' }));
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ vendorCode: '20003', status: 401, retryable: false });
  });

  it('authenticates with an API key instead of the auth token', async () => {
    const apiKeySid = `SK${'1'.repeat(32)}`;
    fake.server.close();
    const local = startFakeTwilio({ credentials: [{ username: apiKeySid, password: 'key-secret-abcdef' }] });
    try {
      const twilio = connectorFor(local, { authToken: undefined, apiKeySid, apiKeySecret: 'key-secret-abcdef' });
      await expect(twilio.actions.sendSms({ to: '+966555123456', body: 'x', purpose: 'transactional' })).resolves.toMatchObject({
        status: 'accepted',
      });
      expect(local.requests[0]?.authorization).toBe(`Basic ${Buffer.from(`${apiKeySid}:key-secret-abcdef`).toString('base64')}`);
    } finally {
      local.close();
      fake.server.listen({ onUnhandledRequest: 'error' });
    }
  });
});

describe('sendTemplatedSms', () => {
  const template = {
    ar: 'مرحباً {{name}}، موعدكم في {{clinic}} يوم {{date}}.',
    en: 'Hello {{name}}, your appointment at {{clinic}} is on {{date}}.',
  };

  it('picks the contact’s language and isolates Latin values in Arabic text', async () => {
    const twilio = connectorFor(fake);
    const ar = await twilio.actions.sendTemplatedSms({
      to: '0555123456',
      template,
      vars: { name: 'سارة', clinic: 'Al Noor', date: '2026-03-02' },
      languages: ['ar-SA'],
      purpose: 'transactional',
    });
    expect(ar.body).toBe('مرحباً سارة، موعدكم في \u2068Al Noor\u2069 يوم \u20682026-03-02\u2069.');
    expect(ar.segments?.encoding).toBe('UCS-2');
    const en = await twilio.actions.sendTemplatedSms({
      to: '0555123456',
      template,
      vars: { name: 'Sara', clinic: 'Al Noor', date: '2026-03-02' },
      languages: ['en-GB', 'ar'],
      purpose: 'transactional',
    });
    expect(en.body).toBe('Hello Sara, your appointment at Al Noor is on 2026-03-02.');
    expect(en.segments).toEqual({ encoding: 'GSM-7', segments: 1, units: 57 });
  });

  it('falls back to Arabic and refuses a missing variable before any request', async () => {
    const twilio = connectorFor(fake);
    const message = await twilio.actions.sendTemplatedSms({
      to: '0555123456',
      template,
      vars: { name: 'سارة', clinic: 'العيادة', date: 'الأحد' },
      languages: ['fr'],
      purpose: 'transactional',
    });
    expect(message.body?.startsWith('مرحباً')).toBe(true);
    fake.calls.length = 0;
    const error = await rejection(
      twilio.actions.sendTemplatedSms({
        to: '0555123456',
        template,
        vars: { name: 'سارة' },
        languages: ['ar'],
        purpose: 'transactional',
      }),
    );
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(fake.calls).toHaveLength(0);
  });

  it('gates a marketing template on consent with zero requests', async () => {
    const twilio = connectorFor(fake, { consent: { check: () => false } });
    const error = await rejection(
      twilio.actions.sendTemplatedSms({
        to: '0555123456',
        template,
        vars: { name: 'a', clinic: 'b', date: 'c' },
        purpose: 'marketing',
      }),
    );
    expect(ConsentError.isInstance(error)).toBe(true);
    expect(fake.calls).toHaveLength(0);
  });
});

describe('config', () => {
  const base = { accountSid: FIXTURE_ACCOUNT_SID, authToken: AUTH_TOKEN };

  it.each([
    [
      'both from and messagingServiceSid',
      { ...base, from: '+966112345678', messagingServiceSid: FIXTURE_MESSAGING_SERVICE_SID },
      'messagingServiceSid',
    ],
    ['neither sender', { ...base }, 'messagingServiceSid'],
    ['no credentials', { accountSid: FIXTURE_ACCOUNT_SID, from: 'HOSPITAL' }, 'authToken'],
    ['an API key without its secret', { ...base, from: 'HOSPITAL', apiKeySid: `SK${'1'.repeat(32)}` }, 'apiKeySecret'],
    ['a bad account SID', { ...base, accountSid: 'AC123', from: 'HOSPITAL' }, 'accountSid'],
    ['a sender that is neither number nor ID', { ...base, from: 'مستشفى' }, 'from'],
    ['an http base URL', { ...base, from: 'HOSPITAL', baseUrl: 'http://api.twilio.com' }, undefined],
  ])('refuses %s with a ConfigError that does not quote secrets', (_label, config, field) => {
    let error: unknown;
    try {
      createTwilioConnector(config as TwilioConfigInput);
    } catch (e) {
      error = e;
    }
    expect(ConfigError.isInstance(error)).toBe(true);
    if (field) expect((error as ConfigError).issues.map((i) => i.path[0])).toContain(field);
    expect(JSON.stringify(error)).not.toContain(AUTH_TOKEN);
    expect((error as Error).message).not.toContain(AUTH_TOKEN);
  });

  it('accepts alphanumeric sender IDs and normalises a local sender number', async () => {
    const twilio = connectorFor(fake, { from: 'KFSH Clinic', messagingServiceSid: undefined });
    await twilio.actions.sendSms({ to: '+966555123456', body: 'x', purpose: 'transactional' });
    expect(fake.requests.at(-1)?.form?.From).toBe('KFSH Clinic');
    const local = connectorFor(fake, { from: '0112345678', messagingServiceSid: undefined });
    await local.actions.sendSms({ to: '+966555123456', body: 'x', purpose: 'transactional' });
    expect(fake.requests.at(-1)?.form?.From).toBe('+966112345678');
  });
});
