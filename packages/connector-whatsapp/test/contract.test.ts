// The connector contract every hmi connector passes. Meta publishes no OpenAPI description of the
// Cloud API: the template list is checked against Meta's codegen specs in spec.test.ts, and the
// fake's message bodies follow Meta's Cloud API docs (named in the README).
import { whatsAppConnector } from '@hmi/connector-whatsapp';
import { createFakeWhatsAppApi, FIXTURE_IDS } from '@hmi/connector-whatsapp/msw';
import { runConnectorContract } from '@hmi/testing/vitest';

const baseUrl = 'https://graph.facebook.com';
const accessToken = 'EAAG_WA_CONTRACT_CANARY_6b2d9f41';
// PHI canaries: a patient's name (in a template parameter and a text) and phone (the recipient).
const patientName = 'فاطمة عبدالله الزهراني';
const patientPhone = '+966551234567';

const fake = createFakeWhatsAppApi({ baseUrl, accessToken });

runConnectorContract(whatsAppConnector, {
  baseUrl,
  config: (url) => ({
    accessToken,
    baseUrl: url,
    phoneNumberId: FIXTURE_IDS.phoneNumberId,
    businessAccountId: FIXTURE_IDS.businessAccountId,
  }),
  invalidConfigs: [
    {
      name: 'accessToken missing',
      config: (url) => ({ baseUrl: url, phoneNumberId: FIXTURE_IDS.phoneNumberId }),
      field: 'accessToken',
    },
    { name: 'phoneNumberId missing', config: (url) => ({ accessToken, baseUrl: url }), field: 'phoneNumberId' },
    {
      name: 'phoneNumberId is a phone number, not its id',
      config: (url) => ({ accessToken, baseUrl: url, phoneNumberId: '+966920012345' }),
      field: 'phoneNumberId',
    },
    {
      name: 'graphVersion not pinned as vN.N',
      config: (url) => ({ accessToken, baseUrl: url, phoneNumberId: FIXTURE_IDS.phoneNumberId, graphVersion: 'latest' }),
      field: 'graphVersion',
    },
  ],
  canaries: { secret: accessToken, phi: [patientName, patientPhone] },
  actions: {
    sendTemplate: {
      input: {
        to: patientPhone,
        template: 'appointment_reminder',
        language: 'ar',
        category: 'UTILITY',
        components: [{ type: 'body', parameters: [{ type: 'text', text: patientName }] }],
      },
      invalidInputs: [
        {},
        { to: patientPhone, template: '', language: 'ar' },
        { to: patientPhone, template: 'appointment_reminder' },
        { to: patientPhone, template: 'appointment_reminder', language: 'arabic' },
        { to: patientPhone, template: 'appointment_reminder', language: 'ar', category: 'PROMO' },
      ],
      handlers: fake.handlers,
    },
    sendText: {
      input: { to: patientPhone, text: `${patientName}، موعدك مؤكد`, lastInboundAt: new Date(Date.now() - 60_000) },
      invalidInputs: [{}, { to: patientPhone, text: '' }, { to: patientPhone, text: 'x'.repeat(4097) }],
      handlers: fake.handlers,
    },
    markRead: {
      input: { messageId: 'wamid.HBgMOTY2NTUxMjM0NTY3FQIAEhgU' },
      invalidInputs: [{}, { messageId: '../me' }],
      handlers: fake.handlers,
    },
    estimateSend: {
      input: { to: patientPhone, category: 'MARKETING' },
      invalidInputs: [{}, { to: patientPhone, category: 'PROMO' }],
      // No handlers: an estimate sends nothing to Meta (the check then asserts zero requests).
      skipRetryCheck: 'sends no HTTP request',
      expectOutput: (output) => {
        if ((output as { category?: string }).category !== 'marketing') throw new Error('expected a marketing estimate');
      },
    },
  },
});
