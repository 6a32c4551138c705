// The connector contract every hmi connector passes, with requests and answers checked against
// X's published OpenAPI description (../shared/specs/x/openapi.json, found at test time).
import { join } from 'node:path';
import { findSpecsDir } from '@hmi/testing';
import { runConnectorContract } from '@hmi/testing/vitest';
import { xConnector } from '../src/index.js';
import { createFakeXApi } from '../src/msw/index.js';

const baseUrl = 'https://api.x.test';
const tokenUrl = `${baseUrl}/2/oauth2/token`;
const clientSecret = 'x-client-secret-CANARY-contract-41d2';
const refreshToken = 'x-refresh-CANARY-contract-8e0f';
const accessToken = 'x-access-CANARY-contract-3c9a';
// PHI canaries: what the host knows about the patient behind the post being answered.
const patientName = 'فاطمة الزهراني';
const patientPhone = '+966555123456';

// Each check gets a fresh fake (the contract reads `handlers` per check): X refuses a repeated
// text and a deleted post stays deleted, so state must not carry over from one check to the next.
const fresh = () =>
  createFakeXApi({
    baseUrl,
    tokenUrl,
    oauth2: { clientId: 'hmi-client', clientSecret, refreshToken, accessTokens: [accessToken] },
  }).handlers;

runConnectorContract(xConnector, {
  baseUrl,
  config: (url) => ({
    auth: {
      type: 'oauth2-user' as const,
      clientId: 'hmi-client',
      clientSecret,
      refreshToken,
      accessToken,
      tokenUrl: `${url}/2/oauth2/token`,
    },
    userId: '1500000000000000001',
    baseUrl: url,
  }),
  invalidConfigs: [
    { name: 'auth missing', config: (url) => ({ baseUrl: url }), field: 'auth' },
    {
      name: 'refresh token missing',
      config: (url) => ({ auth: { type: 'oauth2-user', clientId: 'hmi-client', clientSecret }, baseUrl: url }),
      field: 'auth.refreshToken',
    },
    {
      name: 'userId not numeric',
      config: (url) => ({
        auth: { type: 'oauth2-user', clientId: 'c', clientSecret, refreshToken },
        userId: '@ShifaHospital',
        baseUrl: url,
      }),
      field: 'userId',
    },
    {
      name: 'pageSize above X’s limit',
      config: (url) => ({
        auth: { type: 'oauth2-user', clientId: 'c', clientSecret, refreshToken },
        baseUrl: url,
        pageSize: 500,
      }),
      field: 'pageSize',
    },
  ],
  canaries: { secret: clientSecret, phi: [patientName, patientPhone] },
  spec: join(findSpecsDir(import.meta.url), 'x', 'openapi.json'),
  specCovers: (call) => call.path.startsWith('/2/') && !call.path.startsWith('/2/oauth2/'),
  get handlers() {
    return fresh();
  },
  actions: {
    createPost: {
      input: {
        text: 'Thank you for your kind words — شكراً لكلماتك الطيبة',
        replyToPostId: '1810000000000000002',
        replyMode: 'free-text',
        replySettings: 'mentionedUsers',
        knownPatient: { names: [patientName], phones: [patientPhone], mrns: ['MRN-774210'] },
      },
      invalidInputs: [
        {},
        { text: '' },
        { text: 'hello', replySettings: 'everyone' },
        { text: 'hello', replyToPostId: 'not-an-id' },
        { text: 'hello', replyMode: 'private-template' }, // a template needs a post to answer
      ],
      get handlers() {
        return fresh();
      },
      expectOutput: (output) => {
        const post = output as { platform: string; status: string; id: string };
        if (post.platform !== 'x' || post.status !== 'published' || !/^\d+$/.test(post.id)) {
          throw new Error('createPost returned the wrong post');
        }
      },
    },
    deletePost: {
      input: { id: '1800000000000000001' },
      invalidInputs: [{}, { id: 'abc' }, { id: 1800 }],
      get handlers() {
        return fresh();
      },
    },
  },
});
