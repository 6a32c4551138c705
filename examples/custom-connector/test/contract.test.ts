// The connector contract every hmi connector passes, checked against the API's OpenAPI description.
// Copy this file with the connector: change the fixtures, keep the checks.
import { runConnectorContract } from '@hmi/testing/vitest';
import { clinicSurveyConnector } from '../src/index.js';
import { createFakeSurveyApi, invitationFixture } from '../src/msw/index.js';

const baseUrl = 'https://api.clinic-survey.test';
// Canaries: values that must never appear in telemetry or errors. The secret is the API key; the
// PHI canary is a patient's mobile number, sent as the invitation's recipient.
const apiKey = 'cs_live_CANARY_9d41e7a2b3c4';
const mobile = '+966555123456';

const fake = createFakeSurveyApi({ baseUrl });
fake.state.invitations.set('inv_9001', invitationFixture());

runConnectorContract(clinicSurveyConnector, {
  baseUrl,
  config: (url) => ({ apiKey, baseUrl: url, webhookSecret: 'whsec_survey_demo_secret_01' }),
  invalidConfigs: [
    { name: 'apiKey missing', config: (url) => ({ baseUrl: url }), field: 'apiKey' },
    { name: 'baseUrl not a URL', config: () => ({ apiKey, baseUrl: 'not a url' }), field: 'baseUrl' },
    { name: 'pageSize above the API limit', config: (url) => ({ apiKey, baseUrl: url, pageSize: 500 }), field: 'pageSize' },
  ],
  canaries: { secret: apiKey, phi: [mobile] },
  // Our own API, so its description lives in the example; a vendor's comes from ../shared/specs.
  spec: new URL('../openapi/clinic-survey.yaml', import.meta.url),
  actions: {
    sendSurvey: {
      input: { contactId: 'crm-contact-17', channel: 'sms', recipient: mobile, language: 'ar', appointmentId: 'APT-7781' },
      invalidInputs: [
        { contactId: 'crm-contact-17', channel: 'sms', recipient: '0555123456', language: 'ar' }, // not E.164
        { contactId: 'crm-contact-17', channel: 'email', recipient: mobile, language: 'ar' }, // not an address
        { contactId: 'crm-contact-17', channel: 'pigeon', recipient: mobile, language: 'ar' },
        { channel: 'sms', recipient: mobile, language: 'fr' },
      ],
      handlers: fake.handlers,
      expectOutput: (output) => {
        const invitation = output as { id: string; contactId: string; appointmentId?: string };
        if (
          !invitation.id.startsWith('inv_') ||
          invitation.contactId !== 'crm-contact-17' ||
          invitation.appointmentId !== 'APT-7781'
        ) {
          throw new Error('sendSurvey returned the wrong invitation');
        }
      },
    },
    getInvitation: {
      input: { id: 'inv_9001' },
      invalidInputs: [{}, { id: 'INV 9001' }, { id: 9001 }],
      handlers: fake.handlers,
    },
  },
});
