// Scene 5: a campaign page visit whose URL carries the patient's MRN reaches GA4 without it, and
// the week's campaign report lands in the CRM. GA4 runs as a loopback sandbox serving the
// connector's own fake; every event passes the core's PHI firewall first.
import { createPhiFirewall } from '@hmi/core';
import { createGa4Connector } from '@hmi/connector-ga4';
import { createFakeGa4 } from '@hmi/connector-ga4/msw';
import { PATIENT } from '../hl7-messages.js';
import { ltr } from '../output.js';
import { startHttpSandbox } from '../sandbox/http-sandbox.js';
import { expectThat, type Scene } from './scene.js';

/** Sandbox-only Measurement Protocol secret (registered with the redactor like a real one). */
const MP_SECRET = 'demo-ga4-mp-secret-6d1e2f';
const HOST_TOKEN = 'ya29.demo-ga4-host-token';

export const campaignAnalyticsScene: Scene = {
  id: 'analytics',
  title: 'A campaign page visit reaches GA4 without the MRN in its URL; the weekly report lands in the CRM',
  label: 'GA4 behind the PHI firewall',
  async run(h, report) {
    const sandbox = await startHttpSandbox('GA4');
    try {
      const fake = createFakeGa4({
        dataBaseUrl: sandbox.url,
        mpBaseUrl: sandbox.url,
        apiSecret: MP_SECRET,
        accessTokens: [HOST_TOKEN],
      });
      sandbox.use(fake.handlers);
      // The firewall knows the patients the CRM knows: their names are removed from any text.
      const knownNames = [...h.crm.contacts.values()].flatMap((c) =>
        c.names.flatMap((n) => [n.text ?? '', ...(n.given ?? []), n.family ?? '']),
      );
      const ga4 = createGa4Connector(
        {
          propertyId: '123456789',
          accessToken: HOST_TOKEN,
          measurementId: 'G-HMI0TEST1',
          apiSecret: MP_SECRET,
          dataBaseUrl: sandbox.url,
          mpBaseUrl: sandbox.url,
          allowInsecureHttp: true,
          firewall: createPhiFirewall({ knownNames: knownNames.filter(Boolean), allowTitles: ['Ramadan check-up'] }),
        },
        { telemetry: h.telemetry },
      );

      const pageUrl = `https://hospital.example/en/campaigns/ramadan-checkup/${PATIENT.mrn}?nid=${PATIENT.nationalId}`;
      report.step(`a campaign page view from a patient's link: ${ltr(pageUrl)}`);
      const sent = await ga4.actions.sendEvents({
        clientId: '1234567890.1741590000',
        events: [{ name: 'page_view', params: { page_location: pageUrl, page_title: 'Ramadan check-up' } }],
      });
      const wire = fake.state.requests.map((r) => `${r.url}\n${r.body}`).join('\n');
      const leaked = [PATIENT.mrn, PATIENT.nationalId, PATIENT.mrn.replace(/\D/g, '')].filter((c) => wire.includes(c));
      expectThat(sent.sent && fake.state.mpHits.length === 1, 'the page view did not reach GA4');
      expectThat(leaked.length === 0, 'an identifier reached GA4');
      const hit = fake.state.mpHits[0]?.body as { events: Array<{ params: { page_location: string } }> };
      report.ok(
        `GA4 received ${ltr(hit.events[0]?.params.page_location ?? '?')} — firewall removed ${sent.total} (${Object.keys(sent.removed).join(', ')})`,
      );

      const weekly = await ga4.actions.runReport({
        dimensions: ['sessionCampaignName'],
        metrics: ['sessions', 'conversions'],
        dateRanges: [{ startDate: '7daysAgo', endDate: 'yesterday' }],
        orderBys: [{ metric: { metricName: 'sessions' }, desc: true }],
      });
      h.crm.analyticsReports.push(weekly);
      const top = weekly.rows[0];
      expectThat(top !== undefined, 'the weekly report is empty');
      report.ok(
        `weekly campaign report in the CRM: ${weekly.rowCount} campaigns, top ${top.dimensions[0]} with ${top.metrics[0]} sessions`,
      );
      return {
        figures: [`identifiers reaching GA4: ${leaked.length}`, `removed: ${sent.total}`, `report rows: ${weekly.rowCount}`],
        facts: {
          ga4PageLocation: hit.events[0]?.params.page_location ?? '',
          identifiersReachingGa4: leaked.length,
          removed: sent.total,
          reportRows: weekly.rowCount,
          crmReports: h.crm.analyticsReports.length,
        },
      };
    } finally {
      await sandbox.close();
    }
  },
};
