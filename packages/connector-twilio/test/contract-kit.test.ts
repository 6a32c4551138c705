// The connector contract every hmi connector passes, checked against Twilio's own OpenAPI
// description (read through findSpecsDir, so HMI_SPECS_DIR works).
import { runConnectorContract } from '@hmi/testing/vitest';
import { smsBodyHash, twilioConnector } from '@hmi/connector-twilio';
import {
  FIXTURE_ACCOUNT_SID,
  FIXTURE_MESSAGING_SERVICE_SID,
  createFakeTwilio,
  twilioMessageFixture,
} from '@hmi/connector-twilio/msw';
import { twilioSpec } from './twilio-spec.js';

const authToken = 'tok_CONTRACT_CANARY_5e6f7a8b9c0d';
const baseUrl = 'https://api.twilio.com';
const phone = '+966555123456';
const body = 'عزيزتنا زرقاء، موعدك غداً الساعة ٩';
const NOW = new Date('2026-03-01T09:00:00Z');
const fake = createFakeTwilio({ baseUrl, now: () => NOW, credentials: [{ username: FIXTURE_ACCOUNT_SID, password: authToken }] });
const existing = twilioMessageFixture({ to: phone, body });
fake.state.messages.set(existing.sid as string, existing as never);
// A call from the patient's phone: getCall reads the Calls resource the calls stream lists.
const call = fake.state.seedCall({ from: phone, to: '+966920001234' });

runConnectorContract(twilioConnector, {
  baseUrl,
  config: (url) => ({
    accountSid: FIXTURE_ACCOUNT_SID,
    authToken,
    messagingServiceSid: FIXTURE_MESSAGING_SERVICE_SID,
    defaultRegion: 'SA',
    baseUrl: url,
    now: () => NOW,
    voice: { trackingNumbers: { '+966920001234': 'cmp-ramadan-2026' }, lookupContact: () => 'patient-42' },
  }),
  invalidConfigs: [
    { name: 'accountSid missing', config: (url) => ({ authToken, baseUrl: url }), field: 'accountSid' },
    { name: 'accountSid malformed', config: (url) => ({ accountSid: 'AC1', authToken, baseUrl: url }), field: 'accountSid' },
  ],
  canaries: { secret: authToken, phi: [phone, body] },
  spec: twilioSpec,
  actions: {
    sendSms: {
      input: { to: phone, body, purpose: 'transactional' },
      invalidInputs: [
        { to: phone, body },
        { to: phone, body: '', purpose: 'transactional' },
        { body, purpose: 'transactional' },
      ],
      handlers: fake.handlers,
    },
    sendTemplatedSms: {
      input: {
        to: phone,
        purpose: 'transactional',
        template: { ar: body, en: 'Your appointment is tomorrow' },
        languages: ['ar'],
      },
      invalidInputs: [
        { to: phone, purpose: 'transactional' },
        { to: phone, purpose: 'transactional', template: { ar: body } },
      ],
      handlers: fake.handlers,
    },
    getMessage: {
      input: { sid: existing.sid as string },
      invalidInputs: [{}, { sid: 'SM1' }, { sid: 42 }],
      handlers: fake.handlers,
    },
    getCall: {
      input: { sid: call.sid },
      invalidInputs: [{}, { sid: 'CA1' }, { sid: existing.sid }],
      handlers: fake.handlers,
    },
    findSentMessage: {
      input: { to: phone, sentAfter: '2026-03-01T08:00:00Z', bodyHash: smsBodyHash(body) },
      invalidInputs: [
        { to: phone, sentAfter: 'yesterday', bodyHash: smsBodyHash(body) },
        { to: phone, bodyHash: 'abc' },
      ],
      handlers: fake.handlers,
    },
  },
});
