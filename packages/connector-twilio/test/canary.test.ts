import { createTelemetry } from '@hmi/core';
import { FIXTURE_ACCOUNT_SID, signedTwilioWebhook } from '@hmi/connector-twilio/msw';
import { HttpResponse, http } from 'msw';
import { expectNoLeaks } from '@hmi/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_TOKEN, BASE_URL, connectorFor, startFakeTwilio } from './harness.js';

/** Canaries: none of these may appear in telemetry, error messages, stacks, causes or JSON. */
const PHONE_LOCAL = '0555123456';
const PHONE_E164 = '+966555123456';
const ARABIC_BODY = 'عزيزتنا فاطمة الزهراني، نتائج تحليل السكر جاهزة';
const CANARIES = [
  AUTH_TOKEN,
  Buffer.from(`${FIXTURE_ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64'),
  PHONE_E164,
  '966555123456',
  PHONE_LOCAL,
  '555123456',
  ARABIC_BODY,
  'فاطمة',
  'Zarqa',
  'Canarya',
];

let fake: ReturnType<typeof startFakeTwilio>;
beforeAll(() => {
  fake = startFakeTwilio();
});
afterAll(() => fake.close());

describe('canaries: auth token, Arabic body and phone never leak', () => {
  it('through every success and failure path', async () => {
    const telemetry = createTelemetry();
    const seen: string[] = [];
    telemetry.onAny((name, payload) => seen.push(`${name} ${JSON.stringify(payload)}`));
    const errors: unknown[] = [];
    const capture = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (error) {
        errors.push(error);
      }
    };
    const twilio = connectorFor(fake, { timeoutMs: 300, consent: { check: () => false } }, telemetry);
    const send = (to: string, purpose: 'transactional' | 'marketing' = 'transactional') =>
      twilio.actions.sendSms({ to, body: ARABIC_BODY, purpose, contactId: 'c-1' });

    // success, then read and list with the number as a filter
    const sent = await send(PHONE_LOCAL);
    await twilio.actions.getMessage({ sid: sent.id });
    for await (const _ of twilio.streams.listMessages.read({ checkpoint: { filter: { to: PHONE_LOCAL, pageSize: 1 } } })) {
      // drain
    }
    // consent refusal, invalid numbers (locally and by Twilio, whose message quotes the number)
    await capture(send(PHONE_LOCAL, 'marketing'));
    await capture(send('0555'));
    await capture(twilio.actions.sendSms({ to: PHONE_E164, body: '', purpose: 'transactional' }));
    fake.server.use(
      http.post(`${BASE_URL}/2010-04-01/Accounts/${FIXTURE_ACCOUNT_SID}/Messages.json`, () =>
        HttpResponse.json(
          {
            code: 21211,
            message: `The 'To' number ${PHONE_E164} is not valid: ${ARABIC_BODY} ${AUTH_TOKEN}`,
            more_info: 'x',
            status: 400,
          },
          { status: 400 },
        ),
      ),
    );
    await capture(send(PHONE_LOCAL));
    fake.server.resetHandlers();
    // 500, 429, 401 with echoing bodies; a timeout; a dropped connection
    for (const failure of [
      { status: 500, code: 20500, message: `${PHONE_E164} ${ARABIC_BODY}` },
      { status: 429, code: 20429, message: `${PHONE_E164}` },
      { status: 401, code: 20003, message: `bad token ${AUTH_TOKEN}` },
      // Issue 11 #4: a Latin name and a number in free text; only the code may survive.
      { status: 400, code: 21610, message: 'Recipient Zarqa Canarya +966555123456 is on a suppression list' },
      { status: 400, code: 21211, message: `Recipient Zarqa Canarya ${PHONE_E164} is not valid` },
    ]) {
      // Enough failures to outlast the core's retries of a (notProcessed) 429.
      fake.state.failNext(failure, 10);
      await capture(send(PHONE_LOCAL));
      fake.state.clearFailures();
    }
    fake.server.use(
      http.post(`${BASE_URL}/2010-04-01/Accounts/${FIXTURE_ACCOUNT_SID}/Messages.json`, () => new Promise<never>(() => {})),
    );
    await capture(send(PHONE_LOCAL));
    fake.server.use(
      http.post(`${BASE_URL}/2010-04-01/Accounts/${FIXTURE_ACCOUNT_SID}/Messages.json`, () => HttpResponse.error()),
    );
    await capture(send(PHONE_LOCAL));
    fake.server.resetHandlers();
    // webhooks: forged signature, malformed payload, wrong body encoding
    const forged = signedTwilioWebhook({
      url: 'https://crm.example.sa/in',
      params: { MessageSid: sent.id, From: PHONE_E164, To: '+966112345678', Body: ARABIC_BODY },
      authToken: 'someone-else-token',
    });
    await capture(twilio.webhooks.inboundSms.verify(forged));
    const malformed = signedTwilioWebhook({
      url: 'https://crm.example.sa/in',
      params: { From: PHONE_E164, Body: ARABIC_BODY },
      authToken: AUTH_TOKEN,
    });
    await capture(twilio.webhooks.inboundSms.verify(malformed));
    const badStatus = signedTwilioWebhook({
      url: 'https://crm.example.sa/st',
      params: { MessageSid: sent.id, MessageStatus: ARABIC_BODY, To: PHONE_E164 },
      authToken: AUTH_TOKEN,
    });
    await capture(twilio.webhooks.statusCallback.verify(badStatus));

    expect(errors.length).toBe(14);
    expect(seen.length).toBeGreaterThan(20);
    expectNoLeaks(errors, CANARIES);
    expectNoLeaks(seen, CANARIES);
  });

  it('a config error never quotes the secret', () => {
    let error: unknown;
    try {
      connectorFor({ fetch }, { accountSid: 'AC-bad', authToken: AUTH_TOKEN });
    } catch (e) {
      error = e;
    }
    expect(error).toBeDefined();
    expectNoLeaks([error], CANARIES);
  });
});
