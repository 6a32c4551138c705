import { createTwilioConnector } from '@hmi/connector-twilio';
import { createFakeTwilio, FIXTURE_ACCOUNT_SID, FIXTURE_MESSAGING_SERVICE_SID } from '@hmi/connector-twilio/msw';
import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../src/index.js';
import { setup } from './helpers.js';

const AUTH_TOKEN = 'tok_CANARY_gateway_5d1e';
const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A gateway whose `sms` channel is the real Twilio connector against Twilio's fake (MSW). */
async function withTwilio() {
  const fake = createFakeTwilio({ credentials: [{ username: FIXTURE_ACCOUNT_SID, password: AUTH_TOKEN }] });
  const server = setupServer(...fake.handlers);
  server.listen({ onUnhandledRequest: 'error' });
  servers.push(server);
  let gateway: Gateway | undefined;
  const twilio = createTwilioConnector({
    accountSid: FIXTURE_ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    messagingServiceSid: FIXTURE_MESSAGING_SERVICE_SID,
    defaultRegion: 'SA',
    // The connector's own consent gate asks the gateway's consent records too.
    consent: { check: (q) => gateway!.consentCheck(q) },
  });
  const env = await setup({ connectors: { twilio }, channels: { sms: { connector: 'twilio', action: 'sendSms' } } });
  gateway = env.gateway;
  return { ...env, fake };
}

describe('POST /v1/messages', () => {
  it('sends a transactional SMS to the contact through the connector', async () => {
    const { call, json, fake } = await withTwilio();
    const { contact } = await json(await call('POST', '/v1/leads', { body: { phone: '0555123456' } }));
    const res = await call('POST', '/v1/messages', {
      body: { contactId: contact.id, channel: 'sms', purpose: 'transactional', body: 'موعدك غداً الساعة ١٠' },
    });
    expect(res.status).toBe(202);
    const sent = await json(res);
    expect(sent).toMatchObject({ contactId: contact.id, channel: 'sms', connector: 'twilio' });
    expect(fake.state.requests).toHaveLength(1);
    expect([...fake.state.messages.values()][0]).toMatchObject({ to: '+966555123456' });
  });

  it('refuses marketing without consent (422) before reaching Twilio, and sends once consent is granted', async () => {
    const { call, json, fake, clock } = await withTwilio();
    const { contact } = await json(await call('POST', '/v1/leads', { body: { phone: '+966555123456' } }));
    const msg = { contactId: contact.id, channel: 'sms', purpose: 'marketing', body: 'Ramadan check-up offer' };
    const refused = await call('POST', '/v1/messages', { body: msg });
    expect(refused.status).toBe(422);
    expect(await json(refused)).toMatchObject({
      type: 'urn:hmi:problem:consent-refused',
      errors: [{ pointer: '/purpose', code: 'no_consent' }],
    });
    expect(fake.state.requests).toHaveLength(0);
    await call('POST', '/v1/consents', {
      body: { contactId: contact.id, channel: 'sms', purpose: 'marketing', status: 'granted', source: 'website-form' },
    });
    expect((await call('POST', '/v1/messages', { body: msg })).status).toBe(202);
    clock.advance(1000);
    await call('POST', '/v1/consents', {
      body: { contactId: contact.id, channel: 'any', purpose: 'any', status: 'revoked', source: 'sms-keyword' },
    });
    expect((await call('POST', '/v1/messages', { body: msg })).status).toBe(422);
    expect(fake.state.requests).toHaveLength(1);
  });

  it('never sends twice for a repeated Idempotency-Key', async () => {
    const { call, json, fake } = await withTwilio();
    const { contact } = await json(await call('POST', '/v1/leads', { body: { phone: '+966555123456' } }));
    const msg = { contactId: contact.id, channel: 'sms', purpose: 'transactional', body: 'Your results are ready' };
    const headers = { 'idempotency-key': 'send-0001' };
    const first = await call('POST', '/v1/messages', { body: msg, headers });
    const second = await call('POST', '/v1/messages', { body: msg, headers });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(second)).toEqual(await json(first));
    expect(fake.state.requests).toHaveLength(1);
  });

  it('answers 422 for a channel with no connector and 502 without vendor detail when the vendor fails', async () => {
    const { call, json, fake } = await withTwilio();
    const { contact } = await json(await call('POST', '/v1/leads', { body: { phone: '+966555123456', email: 'x@y.sa' } }));
    const email = await call('POST', '/v1/messages', {
      body: { contactId: contact.id, channel: 'email', purpose: 'transactional', body: 'x' },
    });
    expect(email.status).toBe(422);
    fake.state.failNext({ status: 500, code: 20500, message: 'Internal error for +966555123456' });
    const failed = await call('POST', '/v1/messages', {
      body: { contactId: contact.id, channel: 'sms', purpose: 'transactional', body: 'x' },
    });
    expect(failed.status).toBe(502);
    const text = await failed.text();
    expect(text).not.toContain(AUTH_TOKEN);
    expect(text).not.toContain('+966555123456');
  });
});
