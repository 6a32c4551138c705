import { ga4Connector } from '@hmi/connector-ga4';
import { createFakeGa4 } from '@hmi/connector-ga4/msw';
import { runConnectorContract } from '@hmi/testing/vitest';

const BASE = 'https://api.ga4.test';
const SECRET = 'mpsecret_CANARY_contract_41c9';
const TOKEN = 'ya29.CANARY_contract_token';
// The Data API's reports are reads sent as POST, marked `idempotent` per request; the contract's
// retry check counts every POST as a write. Their retries are tested in reports.test.ts (a quota
// error mid-paging is retried at the same offset).
const READ_AS_POST = 'a read sent as POST (idempotent per request): retries are covered by reports.test.ts';
const fake = createFakeGa4({
  dataBaseUrl: BASE,
  adminBaseUrl: BASE,
  mpBaseUrl: BASE,
  apiSecret: SECRET,
  accessTokens: [TOKEN],
  now: () => new Date('2026-03-10T09:00:00Z'),
});

runConnectorContract(ga4Connector, {
  baseUrl: BASE,
  config: (baseUrl) => ({
    propertyId: '123456789',
    accessToken: TOKEN,
    measurementId: 'G-HMI0TEST1',
    apiSecret: SECRET,
    dataBaseUrl: baseUrl,
    adminBaseUrl: baseUrl,
    mpBaseUrl: baseUrl,
    retry: { minDelayMs: 1, maxDelayMs: 5 },
  }),
  invalidConfigs: [
    {
      name: 'propertyId not numeric',
      config: (baseUrl) => ({ propertyId: 'properties/1', apiSecret: SECRET, dataBaseUrl: baseUrl }),
      field: 'propertyId',
    },
    {
      name: 'measurementId malformed',
      config: () => ({ propertyId: '1', apiSecret: SECRET, measurementId: 'UA-1' }),
      field: 'measurementId',
    },
    {
      name: 'accessToken and serviceAccount both',
      config: () => ({
        propertyId: '1',
        apiSecret: SECRET,
        accessToken: TOKEN,
        serviceAccount: { client_email: 'a@b.iam.gserviceaccount.com', private_key: 'k'.repeat(80) },
      }),
      field: 'accessToken',
    },
  ],
  canaries: { secret: SECRET, phi: ['00458812', '+966555123456', 'فاطمة الحربي'] },
  actions: {
    runReport: {
      input: {
        dimensions: ['pagePath'],
        metrics: ['sessions'],
        dateRanges: [{ startDate: '2026-03-01', endDate: '2026-03-02' }],
      },
      invalidInputs: [
        { metrics: [] },
        { metrics: ['sessions'], dateRanges: [] },
        { metrics: ['sessions'], dateRanges: [{ startDate: 'last week', endDate: 'today' }] },
      ],
      handlers: fake.handlers,
      skipRetryCheck: READ_AS_POST,
    },
    runRealtimeReport: {
      input: { dimensions: ['country'], metrics: ['activeUsers'] },
      invalidInputs: [{ metrics: [] }, { metrics: ['x'], limit: 0 }],
      handlers: fake.handlers,
      skipRetryCheck: READ_AS_POST,
    },
    sendEvents: {
      input: {
        clientId: '1234567.1700000000',
        userId: '00458812',
        events: [
          {
            name: 'generate_lead',
            params: { phone: '+966555123456', note: 'فاطمة الحربي', page_location: 'https://hospital.sa/p/00458812' },
          },
        ],
      },
      invalidInputs: [
        { events: [{ name: 'x' }] },
        { clientId: '1.2', events: [] },
        { clientId: '1.2', events: Array.from({ length: 26 }, () => ({ name: 'x' })) },
      ],
      handlers: fake.handlers,
    },
    listProperties: { input: { account: '987654' }, invalidInputs: [{}, { account: 'accounts/1' }], handlers: fake.handlers },
    listDataStreams: { input: {}, invalidInputs: [{ propertyId: 'properties/1' }], handlers: fake.handlers },
  },
});
