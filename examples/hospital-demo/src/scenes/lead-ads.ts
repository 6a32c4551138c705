// Scene: a Meta Lead Ads lead in Arabic arrives by signed webhook, becomes a CRM Contact with the
// form's consent answers, and the campaign's daily insights join the summary. Self-contained: the
// scene starts its own Graph sandbox (`@hmi/connector-meta/msw` on loopback), its own connector and
// its own webhook endpoint. Meta's GET subscription handshake is answered by the connector; the
// `leadgen` POST is verified (X-Hub-Signature-256 over the raw bytes) before it is stored, and a
// changed byte is refused with 401. The lead's answers are PHI from the moment they are read.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMetaConnector, type LeadgenEventData } from '@hmi/connector-meta';
import {
  createFakeGraphApi,
  FIXTURE_IDS,
  graphHandshakeRequest,
  leadFixture,
  signedLeadgenWebhook,
} from '@hmi/connector-meta/msw';
import type { EngagementMetric, Lead } from '@hmi/core';
import { Contact } from '@hmi/core/schemas';
import { createWebhookHandler, toNodeHandler } from '@hmi/flow';
import { ltr, rtl } from '../output.js';
import { startHttpSandbox } from '../sandbox/http-sandbox.js';
import { expectThat, type Scene, waitFor } from './scene.js';

/** The Graph sandbox's made-up credentials (registered with the connector's redactor). */
export const META_DEMO_SECRETS = {
  accessToken: 'EAAGdemoPageToken7c2f91ab44d0',
  appSecret: 'demo-meta-app-secret-5e8d1c',
  verifyToken: 'demo-meta-verify-3a9f',
} as const;

/** The lead the sandbox serves: an Arabic name, a Saudi mobile, two consent checkboxes. */
const LEAD_ID = '1234567890123777';
const LEAD = leadFixture({
  id: LEAD_ID,
  created_time: '2026-12-02T17:40:05+0000',
  field_data: [
    { name: 'full_name', values: ['سارة محمد القحطاني'] },
    { name: 'phone_number', values: ['+966 50 765 4321'] },
    { name: 'preferred_clinic', values: ['عيادة القلب'] },
  ],
  custom_disclaimer_responses: [
    { checkbox_key: 'marketing_whatsapp', is_checked: '1' },
    { checkbox_key: 'marketing_sms', is_checked: '' },
  ],
});

/** The first answer to a lead form question. */
function answer(lead: Lead, name: string): string | undefined {
  return lead.answers.find((a) => a.name === name)?.values[0];
}

/** A lead → a CRM Contact (`kind: 'lead'`): the Arabic name and the mobile as E.164. */
function toContact(lead: Lead): Contact {
  const name = answer(lead, 'full_name');
  const phone = answer(lead, 'phone_number')?.replace(/[\s()-]/g, '');
  return Contact.parse({
    id: `lead:${lead.id}`,
    source: { system: 'meta', id: lead.id },
    kind: 'lead',
    names: name ? [{ text: name, language: 'ar' }] : [],
    phones: phone ? [{ value: phone, use: 'mobile' }] : [],
    languages: ['ar'],
  });
}

/** Campaign totals over the days read. */
function totals(metrics: readonly EngagementMetric[], campaignId: string) {
  const sum = (metric: string) =>
    metrics.filter((m) => m.subjectId === campaignId && m.metric === metric).reduce((total, m) => total + m.value, 0);
  const spend = Math.round(sum('spend') * 100) / 100;
  const leads = sum('leads');
  const currency = metrics.find((m) => m.subjectId === campaignId && m.metric === 'spend')?.unit ?? '';
  const days = new Set(metrics.filter((m) => m.subjectId === campaignId).map((m) => m.periodStart)).size;
  return {
    days,
    spend,
    impressions: sum('impressions'),
    clicks: sum('clicks'),
    leads,
    costPerLead: leads > 0 ? Math.round((spend / leads) * 100) / 100 : 0,
    currency,
  };
}

export const leadAdsScene: Scene = {
  id: 'leads',
  title: 'A Lead Ads lead in Arabic arrives by signed webhook, becomes a Contact with its consents; the campaign insights follow',
  label: 'Meta Lead Ads → Contact',
  async run(h, report) {
    const sandbox = await startHttpSandbox('Meta Graph');
    const fake = createFakeGraphApi({ baseUrl: sandbox.url, accessToken: META_DEMO_SECRETS.accessToken });
    fake.state.leads.set(LEAD_ID, LEAD);
    sandbox.use(fake.handlers);
    // `allowInsecureHttp` only because the sandbox is a plain-HTTP loopback server.
    const meta = createMetaConnector(
      {
        ...META_DEMO_SECRETS,
        pageId: FIXTURE_IDS.pageId,
        adAccountId: FIXTURE_IDS.adAccountId,
        baseUrl: sandbox.url,
        allowInsecureHttp: true,
      },
      { telemetry: h.telemetry },
    );
    const leads: Lead[] = [];
    const contacts: Contact[] = [];
    const handler = createWebhookHandler({
      connectors: { meta },
      store: h.store,
      telemetry: h.telemetry,
      processing: { pollInterval: '50ms' },
      async onEvent(event) {
        if (event.type !== 'leadgen') return;
        // The delivery carries ids only: the answers are read over the API, then kept in the CRM.
        const data = event.data as LeadgenEventData;
        const lead = await meta.actions.getLead({ leadId: data.leadId, ...(data.pageId && { pageId: data.pageId }) });
        const contact = toContact(lead);
        leads.push(lead);
        contacts.push(contact);
        h.crm.contacts.set(contact.id ?? `lead:${lead.id}`, contact);
        const mobile = contact.phones[0]?.value;
        for (const consent of lead.consents) {
          const channel = consent.key.replace(/^marketing_/, '');
          if (consent.accepted && mobile) h.crm.marketingConsent.add(`${channel}:${mobile}`);
        }
      },
    });
    const server = createServer(toNodeHandler(handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/meta`;

    try {
      report.step("Meta subscribes the CRM's webhook: GET hub.mode=subscribe with the verify token");
      const challenge = await fetch(graphHandshakeRequest(endpoint, META_DEMO_SECRETS.verifyToken, '1158201444'));
      const echoed = await challenge.text();
      expectThat(challenge.status === 200 && echoed === '1158201444', `the handshake got ${challenge.status}`);
      report.ok(`200 text/plain ${echoed} — answered by the connector, no host code`);

      report.step('a leadgen delivery signed with X-Hub-Signature-256 → the CRM');
      const signed = signedLeadgenWebhook({ url: endpoint, appSecret: META_DEMO_SECRETS.appSecret, leadId: LEAD_ID });
      const raw = new Uint8Array(await signed.arrayBuffer());
      const deliver = (body: Uint8Array<ArrayBuffer>) =>
        fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signed.headers.get('x-hub-signature-256') ?? '' },
          body,
        });
      const tampered = Uint8Array.from(raw);
      tampered[tampered.length - 5]! ^= 0x01;
      const forged = await deliver(tampered);
      expectThat(forged.status === 401, `the changed delivery got ${forged.status}, not 401`);
      report.ok('one changed byte: 401 — nothing stored, nothing read');
      const accepted = await deliver(raw);
      expectThat(accepted.status === 200, `the signed delivery got ${accepted.status}, not 200`);
      await waitFor(() => contacts.length === 1, 'the lead to be read and stored');
      const lead = leads[0]!;
      const contact = contacts[0]!;
      const leadReads = fake.state.requests.filter((r) => r.method === 'GET' && r.path === LEAD_ID).length;
      const consent = Object.fromEntries(lead.consents.map((c) => [c.key, c.accepted]));
      const name = contact.names[0]?.text ?? '';
      const mobile = contact.phones[0]?.value ?? '';
      expectThat(name === 'سارة محمد القحطاني' && mobile === '+966507654321', 'the Contact lost the name or the mobile');
      const consentWhatsapp = consent.marketing_whatsapp === true;
      const consentSms = consent.marketing_sms === true;
      expectThat(consentWhatsapp && consent.marketing_sms === false, 'the consent answers were not kept');
      report.ok(
        `200; lead ${ltr(lead.id)} read (${leadReads} GET) → Contact ${rtl(name)} ${ltr(mobile)}; consent: WhatsApp yes, SMS no`,
      );

      report.step("the lead's campaign: daily insights from the Marketing API (cursor paged)");
      const campaignId = lead.campaignId ?? '';
      const metrics: EngagementMetric[] = [];
      for await (const page of meta.streams.campaignInsights.read({ checkpoint: { since: '2026-11-30', until: '2026-12-02' } })) {
        metrics.push(...page.records);
      }
      const t = totals(metrics, campaignId);
      expectThat(t.days === 3 && t.currency === 'SAR' && t.leads > 0, 'the campaign insights are incomplete');
      report.ok(
        `campaign ${ltr(campaignId)}, ${t.days} days: ${t.spend.toFixed(2)} ${t.currency} spent, ${t.impressions} impressions, ${t.clicks} clicks, ${t.leads} leads, ${t.costPerLead.toFixed(2)} ${t.currency} per lead`,
      );

      return {
        figures: [
          `lead → Contact (+966, consent WhatsApp yes / SMS no)`,
          `${t.spend.toFixed(2)} ${t.currency}, ${t.impressions} impr., ${t.clicks} clicks, ${t.leads} leads, ${t.costPerLead.toFixed(2)} ${t.currency}/lead`,
          'changed byte: 401',
        ],
        facts: {
          handshakeStatus: challenge.status,
          handshakeEcho: echoed,
          webhookStatus: accepted.status,
          tamperedStatus: forged.status,
          leadReads,
          contactKind: contact.kind,
          arabicName: name,
          mobile,
          consentWhatsapp,
          consentSms,
          campaignId,
          insightDays: t.days,
          spend: t.spend,
          impressions: t.impressions,
          clicks: t.clicks,
          leads: t.leads,
          costPerLead: t.costPerLead,
          currency: t.currency,
        },
      };
    } finally {
      await handler.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await meta.close();
      await sandbox.close();
    }
  },
};
