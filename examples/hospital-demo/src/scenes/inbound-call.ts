// Scene 9: a campaign call from a known patient lands on her CRM timeline, attributed to the
// campaign. A fake Asterisk (ARI over HTTP + WebSocket, from @hmi/connector-asterisk/msw) runs on
// loopback and plays the call's events as a PBX sends them; the connector assembles them into one
// CallRecord, normalises the caller's number, finds the contact and the campaign.
import type { CallRecord } from '@hmi/core';
import { createAsteriskConnector } from '@hmi/connector-asterisk';
import { scriptInboundCall, startFakeAriServer } from '@hmi/connector-asterisk/msw';
import { PATIENT } from '../hl7-messages.js';
import { mrnOf } from '../hospital.js';
import { ltr } from '../output.js';
import { expectThat, type Scene, waitFor } from './scene.js';

/** The Ramadan check-up campaign's tracking number (printed on its posters) and its id. */
export const CAMPAIGN_TRACKING_NUMBER = '+966920001234';
export const CAMPAIGN_ID = 'ramadan-checkup-2026';
/** Sandbox-only ARI credentials. */
const ARI_USER = 'hmi-crm';
const ARI_PASSWORD = 'demo-ari-password-5c21';

export const inboundCallScene: Scene = {
  id: 'call',
  title:
    'A patient calls the campaign tracking number: one CallRecord on her timeline, attributed to the campaign (Asterisk ARI)',
  label: 'Asterisk call → patient + campaign',
  async run(h, report) {
    const pbx = await startFakeAriServer({ username: ARI_USER, password: ARI_PASSWORD });
    const asterisk = createAsteriskConnector(
      {
        baseUrl: pbx.baseUrl,
        username: ARI_USER,
        password: ARI_PASSWORD,
        app: 'hmi-crm',
        allowInsecureHttp: true, // loopback sandbox only
        defaultRegion: 'SA',
        trackingNumbers: { [CAMPAIGN_TRACKING_NUMBER]: CAMPAIGN_ID },
        consentAnnouncement: 'sound:recording-notice',
      },
      { telemetry: h.telemetry },
    );
    const timeline: CallRecord[] = [];
    try {
      // The CRM's lookup: a contact by any of its phone numbers (E.164, as scene 1 stored them).
      const lookupContact = (e164: string) => {
        for (const contact of h.crm.contacts.values()) if (contact.phones.some((p) => p.value === e164)) return mrnOf(contact);
        return undefined;
      };
      const listener = asterisk.listen({ lookupContact, onCall: (call) => void timeline.push(call) });
      await pbx.waitForConnections(1);
      await listener.ready();
      report.ok(`listening on the ARI event WebSocket of a fake Asterisk at ${pbx.baseUrl}`);

      report.step(
        `${ltr(PATIENT.localMobile)} (as the trunk presents it) calls ${ltr(CAMPAIGN_TRACKING_NUMBER)}; the recording notice plays; agent 1001 answers after 6 s, talks 95 s`,
      );
      const startAt = Date.parse('2026-03-02T07:15:00Z');
      pbx.play(
        scriptInboundCall({
          id: '1772435700.88',
          app: 'hmi-crm',
          from: PATIENT.localMobile,
          to: CAMPAIGN_TRACKING_NUMBER,
          agent: '1001',
          startAt,
          ringMs: 6_000,
          talkMs: 95_000,
          announcement: 'sound:recording-notice',
          recordingName: 'campaign-call-88',
        }),
      );
      await waitFor(() => timeline.length === 1 && listener.activeCalls === 0, 'the CallRecord');
      await listener.close();
      const call = timeline[0]!;
      expectThat(call.contactId === PATIENT.mrn, 'the call did not land on the patient');
      expectThat(call.campaignId === CAMPAIGN_ID, 'the call was not attributed to the campaign');
      expectThat(call.from === PATIENT.e164Mobile, 'the caller number was not normalised to E.164');
      expectThat(call.durationSec === 95 && call.ringSec === 6, 'wrong talk or ring time');
      report.ok(
        `CallRecord ${call.id}: contact ${call.contactId}, campaign ${call.campaignId}, from ${ltr(call.from)}, ring ${call.ringSec} s, talk ${call.durationSec} s, ${call.hangupCause?.name}, recording consent ${call.recordingConsent}`,
      );
      return {
        figures: [`contact ${call.contactId}`, `campaign ${call.campaignId}`, `talk ${call.durationSec} s`],
        facts: {
          records: timeline.length,
          contactId: call.contactId ?? '',
          campaignId: call.campaignId ?? '',
          trackingNumber: call.trackingNumber ?? '',
          from: call.from,
          direction: call.direction,
          agent: call.agent ?? '',
          ringSec: call.ringSec ?? -1,
          durationSec: call.durationSec ?? -1,
          hangupCause: call.hangupCause?.code ?? -1,
          recordingConsent: call.recordingConsent === true,
          recorded: call.recordingUrl !== undefined,
        },
      };
    } finally {
      await asterisk.close();
      await pbx.close();
    }
  },
};
