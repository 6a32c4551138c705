// Over real HTTP: a GA4 stand-in on 127.0.0.1 receives the connector's Measurement Protocol hits
// and report requests; canaries are counted in every URL and body that arrived.
import { createPhiFirewall } from '@hmi/core';
import { createGa4Connector, validateMeasurementProtocolBody } from '@hmi/connector-ga4';
import { expectNoLeaks, fictionalPatient, type LoopbackServer, startLoopbackServer } from '@hmi/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The fictional patient, the phone without its +, and each name alone. */
const CANARIES = [...Object.values(fictionalPatient), '966555123456', 'Fatima', 'Alharbi'];
let server: LoopbackServer;
let base = '';
/** The requests the stand-in received. */
const received = () => server.seen;

beforeAll(async () => {
  server = await startLoopbackServer((req) => {
    if (req.url.includes(':runReport')) {
      // The first report request is refused for quota, as Google does when a bucket is empty.
      const refused = server.seen.filter((r) => r.url.includes(':runReport')).length === 1;
      return {
        status: refused ? 429 : 200,
        body: refused
          ? JSON.stringify({ error: { code: 429, message: 'Exhausted property tokens per hour', status: 'RESOURCE_EXHAUSTED' } })
          : JSON.stringify({
              dimensionHeaders: [{ name: 'pagePath' }],
              metricHeaders: [{ name: 'sessions', type: 'TYPE_INTEGER' }],
              rows: [{ dimensionValues: [{ value: '/ar' }], metricValues: [{ value: '7' }] }],
              rowCount: 1,
            }),
      };
    }
    return { status: 204 };
  });
  base = server.url;
});
afterAll(() => server.close());

/** Every URL and body that arrived, scanned raw and URL-decoded, whatever the case. */
const expectCleanWire = () =>
  expectNoLeaks(
    received().map((r) => `${r.url}\n${r.body}`),
    CANARIES,
    { ignoreCase: true },
  );

describe('GA4 over loopback HTTP', () => {
  it('Measurement Protocol hits carry no canary and obey the documented limits', async () => {
    const ga4 = createGa4Connector({
      measurementId: 'G-LOOPBACK1',
      apiSecret: 'loopback-api-secret',
      mpBaseUrl: base,
      allowInsecureHttp: true,
      firewall: createPhiFirewall({ knownNames: ['Fatima Alharbi'] }),
    });
    await ga4.actions.sendEvents({
      clientId: '555.1741590000',
      userId: '00458812',
      events: [
        {
          name: 'page_view',
          params: {
            page_location: `${'https://hospital.sa/en/patients/fatima-alharbi/'}1098765432?phone=%2B966555123456`,
            page_title: 'Fatima Alharbi — results',
            page_referrer: 'https://hospital.sa/records/29801011234567',
            note: 'fatima.alharbi@example.sa +966555123456',
          },
        },
      ],
    });
    const hits = received().filter((r) => r.url.startsWith('/mp/collect'));
    expect(hits).toHaveLength(1);
    expectCleanWire();
    expect(validateMeasurementProtocolBody(JSON.parse(hits[0]!.body))).toEqual([]);
  });

  it('pages a runReport through a quota error', async () => {
    const ga4 = createGa4Connector({
      propertyId: '42',
      accessToken: 'loopback-token-1',
      dataBaseUrl: base,
      allowInsecureHttp: true,
      retry: { minDelayMs: 1, maxDelayMs: 5 },
    });
    const report = await ga4.actions.runReport({
      dimensions: ['pagePath'],
      metrics: ['sessions'],
      dateRanges: [{ startDate: 'yesterday', endDate: 'today' }],
    });
    expect(report.rows).toEqual([{ dimensions: ['/ar'], metrics: [7] }]);
    expect(received().filter((r) => r.url.includes(':runReport'))).toHaveLength(2);
  });
});
