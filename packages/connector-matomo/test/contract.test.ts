import { matomoConnector } from '@hmi/connector-matomo';
import { createFakeMatomo } from '@hmi/connector-matomo/msw';
import { runConnectorContract } from '@hmi/testing/vitest';

const BASE = 'https://api.matomo.test';
const TOKEN = 'matomo_CANARY_contract_token_77';
const fake = createFakeMatomo({ baseUrl: BASE, siteId: 1, tokenAuth: TOKEN });

runConnectorContract(matomoConnector, {
  baseUrl: BASE,
  config: (baseUrl) => ({ baseUrl, siteId: 1, tokenAuth: TOKEN, retry: { minDelayMs: 1, maxDelayMs: 5 } }),
  invalidConfigs: [
    { name: 'tokenAuth too short', config: (baseUrl) => ({ baseUrl, siteId: 1, tokenAuth: 'abc' }), field: 'tokenAuth' },
    { name: 'siteId not a number', config: (baseUrl) => ({ baseUrl, siteId: 'one', tokenAuth: TOKEN }), field: 'siteId' },
    { name: 'baseUrl not a URL', config: () => ({ baseUrl: 'not a url', siteId: 1, tokenAuth: TOKEN }), field: 'baseUrl' },
  ],
  canaries: { secret: TOKEN, phi: ['00458812', '+966555123456', 'فاطمة الحربي'] },
  actions: {
    getReport: {
      input: { method: 'VisitsSummary.get', period: 'day', date: '2026-03-01,2026-03-02' },
      invalidInputs: [
        { method: 'Live.getLastVisitsDetails', period: 'day', date: 'today' },
        { method: 'Goals.get', period: 'hour', date: 'today' },
        { method: 'Goals.get', period: 'day', date: 'March' },
      ],
      handlers: fake.handlers,
      // A read sent as POST (so token_auth stays out of URLs); its retry is tested in matomo.test.ts.
      skipRetryCheck: 'a read sent as POST (idempotent per request): retries are covered by matomo.test.ts',
    },
    trackHits: {
      input: {
        hits: [
          {
            url: 'https://hospital.example/p/00458812',
            actionName: 'فاطمة الحربي',
            event: { category: 'c', action: 'a', name: '+966555123456' },
          },
        ],
      },
      invalidInputs: [{ hits: [] }, { hits: [{}] }, { hits: Array.from({ length: 101 }, () => ({ url: '/' })) }],
      handlers: fake.handlers,
    },
  },
});
