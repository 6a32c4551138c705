// Over real HTTP: a Matomo stand-in on 127.0.0.1 receives bulk tracking and a report request;
// canaries are counted in every URL and body that arrived, and token_auth never travels in a URL.
import { createPhiFirewall } from '@hmi/core';
import { createMatomoConnector } from '@hmi/connector-matomo';
import { expectNoLeaks, fictionalPatient, type LoopbackServer, startLoopbackServer } from '@hmi/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'loopback-matomo-token-0001';
/** The fictional patient, the phone without its +, and each name alone. */
const CANARIES = [...Object.values(fictionalPatient), '966555123456', 'Fatima', 'Alharbi'];
let server: LoopbackServer;
let base = '';

beforeAll(async () => {
  server = await startLoopbackServer((req) => ({
    status: 200,
    body:
      req.url === '/matomo.php'
        ? JSON.stringify({ status: 'success', tracked: JSON.parse(req.body).requests.length, invalid: 0 })
        : JSON.stringify({ nb_visits: 12, bounce_rate: '25%' }),
  }));
  base = server.url;
});
afterAll(() => server.close());

describe('Matomo over loopback HTTP', () => {
  it('bulk hits carry no canary; reports send token_auth only in the body', async () => {
    const matomo = createMatomoConnector({
      baseUrl: base,
      siteId: 1,
      tokenAuth: TOKEN,
      allowInsecureHttp: true,
      firewall: createPhiFirewall({ knownNames: ['Fatima Alharbi'] }),
    });
    const result = await matomo.actions.trackHits({
      hits: [
        {
          url: 'https://hospital.sa/en/patients/fatima-alharbi/1098765432?email=fatima.alharbi%40example.sa',
          actionName: 'Fatima Alharbi — MRN 00458812',
          referrer: 'https://hospital.sa/records/29801011234567',
          event: { category: 'contact', action: 'call', name: '+966555123456' },
          userId: '00458812',
        },
      ],
    });
    expect(result).toMatchObject({ sent: true, tracked: 1 });
    const report = await matomo.actions.getReport({ method: 'VisitsSummary.get', period: 'day', date: 'yesterday' });
    expect(report.rows).toEqual([{ dimensions: [], metrics: [25, 12] }]);
    const received = server.seen;
    // Every URL and body that arrived, raw and URL-decoded, whatever the case.
    expectNoLeaks(
      received.map((r) => `${r.url}\n${r.body}`),
      CANARIES,
      { ignoreCase: true },
    );
    expect(received.map((r) => r.url)).toEqual(['/matomo.php', '/index.php']);
    expect(new URLSearchParams(received[1]!.body).get('token_auth')).toBe(TOKEN);
  });
});
