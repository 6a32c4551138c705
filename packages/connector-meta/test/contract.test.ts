// The connector contract every hmi connector passes. Meta publishes no OpenAPI description: request
// params and fixtures are checked against Meta's codegen specs in spec.test.ts instead.
import { metaConnector } from '@hmi/connector-meta';
import { createFakeGraphApi, FIXTURE_IDS } from '@hmi/connector-meta/msw';
import { runConnectorContract } from '@hmi/testing/vitest';

const baseUrl = 'https://graph.facebook.com';
const accessToken = 'EAAG_CONTRACT_CANARY_4e1f9a7b';
// PHI canaries: a patient's name and phone, in a lead's answers (read by getLead).
const patientName = 'فاطمة عبدالله الزهراني';
const patientPhone = '+966551234567';

const appSecret = 'app_secret_CONTRACT_CANARY_93b1';
const fake = createFakeGraphApi({ baseUrl, accessToken, appSecret, pageAccessToken: 'EAAGcontractPageToken000000001' });

runConnectorContract(metaConnector, {
  baseUrl,
  config: (url) => ({
    accessToken,
    appId: FIXTURE_IDS.appId,
    appSecret,
    baseUrl: url,
    pageId: FIXTURE_IDS.pageId,
    instagramAccountId: FIXTURE_IDS.instagramAccountId,
    adAccountId: FIXTURE_IDS.adAccountId,
  }),
  invalidConfigs: [
    { name: 'accessToken missing', config: (url) => ({ baseUrl: url }), field: 'accessToken' },
    {
      name: 'graphVersion not pinned as vN.N',
      config: (url) => ({ accessToken, baseUrl: url, graphVersion: 'latest' }),
      field: 'graphVersion',
    },
    {
      name: 'adAccountId not numeric',
      config: (url) => ({ accessToken, baseUrl: url, adAccountId: 'act_abc' }),
      field: 'adAccountId',
    },
  ],
  canaries: { secret: accessToken, phi: [patientName, patientPhone] },
  actions: {
    getLead: {
      input: { leadId: '1234567890123456' },
      invalidInputs: [{}, { leadId: 'abc' }, { leadId: 123 }],
      handlers: fake.handlers,
    },
    getLeads: {
      input: { leadIds: ['1234567890123456', '1234567890123499'] },
      invalidInputs: [{}, { leadIds: [] }, { leadIds: ['abc'] }],
      handlers: fake.handlers,
    },
    publishPost: {
      input: { text: 'فحص مجاني للسكري', knownPatient: { names: [patientName], phones: [patientPhone] } },
      invalidInputs: [
        {},
        { platform: 'tiktok', text: 'x' },
        { platform: 'instagram', text: 'no photo' },
        { text: 'x', photoUrl: 'http://insecure.example/a.jpg' },
      ],
      handlers: fake.handlers,
    },
    deletePost: {
      input: { postId: `${FIXTURE_IDS.pageId}_900000000000002` },
      invalidInputs: [{}, { postId: '../me' }],
      handlers: fake.handlers,
    },
    replyToComment: {
      input: { commentId: '900000000000001_700000000000001', language: 'ar' },
      invalidInputs: [{}, { commentId: 'x/y' }, { commentId: '1_2', language: 'fr' }],
      handlers: fake.handlers,
    },
    createCampaign: {
      input: { name: 'حملة فحص القلب', objective: 'OUTCOME_LEADS' },
      invalidInputs: [{}, { name: 'x', objective: 'leads please' }, { name: '', objective: 'OUTCOME_LEADS' }],
      handlers: fake.handlers,
    },
    getLongLivedPageToken: {
      input: { shortLivedUserToken: 'EAAGshortLivedUserToken0000001' },
      invalidInputs: [
        {},
        { shortLivedUserToken: 'short' },
        { shortLivedUserToken: 'EAAGshortLivedUserToken0000001', appId: 'x' },
      ],
      handlers: fake.handlers,
    },
    setCampaignStatus: {
      input: { campaignId: '23850000000000001', status: 'paused' },
      invalidInputs: [{}, { campaignId: '23850000000000001', status: 'deleted' }],
      handlers: fake.handlers,
    },
  },
});
