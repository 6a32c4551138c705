// Runnable against the bundled fake ARI: `pnpm --filter @hmi/connector-asterisk example`.
// Swap the fake's baseUrl for your PBX (https, an ari.conf user) and it listens to real calls.
import { createAsteriskConnector } from '@hmi/connector-asterisk';
import { interleave, scriptInboundCall, startFakeAriServer } from '@hmi/connector-asterisk/msw';

const pbx = await startFakeAriServer({ username: 'hmi-crm', password: 'change-me-please' });
const asterisk = createAsteriskConnector({
  baseUrl: pbx.baseUrl,
  username: 'hmi-crm',
  password: 'change-me-please',
  app: 'hmi-crm',
  allowInsecureHttp: true, // loopback fake only
  defaultRegion: 'SA', // 0555123456 → +966555123456
  trackingNumbers: { '+966920001234': 'ramadan-checkup-2026' },
  consentAnnouncement: 'sound:recording-notice',
});

const patients = new Map([['+966555123456', 'contact-1842']]);
const listener = asterisk.listen({
  lookupContact: (e164) => patients.get(e164),
  onState: (call) => console.log('state', call.id, call.status),
  onCall: (call) =>
    console.log('call', {
      id: call.id,
      contactId: call.contactId,
      campaignId: call.campaignId,
      agent: call.agent,
      ringSec: call.ringSec,
      durationSec: call.durationSec,
      hangupCause: call.hangupCause,
      recordingConsent: call.recordingConsent,
    }),
});
await pbx.waitForConnections(1);

// A known patient calls the campaign's tracking number; agent 1001 answers after 6 s and talks 95 s.
const start = Date.parse('2026-03-01T08:00:00Z');
pbx.play(
  interleave(
    scriptInboundCall({
      id: 'c-1',
      app: 'hmi-crm',
      from: '0555123456',
      to: '+966920001234',
      agent: '1001',
      startAt: start,
      ringMs: 6000,
      talkMs: 95_000,
      announcement: 'sound:recording-notice',
    }),
    scriptInboundCall({
      id: 'c-2',
      app: 'hmi-crm',
      from: '+971501234567',
      to: '+966112345678',
      agent: '1002',
      startAt: start + 2000,
      ringMs: 20_000,
      cause: 19,
    }),
  ),
);
await new Promise((resolve) => setTimeout(resolve, 300));
await listener.close();
await asterisk.close();
await pbx.close();
