// Twilio Voice against the bundled fake Twilio: `pnpm --filter @hmi/connector-twilio example:voice`.
// Swap the fake for real credentials (drop `server`) and it reads your account's calls.
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CallsCheckpoint, createTwilioConnector } from '@hmi/connector-twilio';
import {
  FIXTURE_ACCOUNT_SID,
  FIXTURE_MESSAGING_SERVICE_SID,
  createFakeTwilio,
  signedTwilioWebhook,
} from '@hmi/connector-twilio/msw';
import { setupServer } from 'msw/node';

const authToken = 'test-auth-token-1234';
const fake = createFakeTwilio({ credentials: [{ username: FIXTURE_ACCOUNT_SID, password: authToken }] });
const server = setupServer(...fake.handlers);
server.listen();

// A patient's campaign call (6 s ringing, 95 s talk), recorded after the recording notice.
const call = fake.state.seedCall({ from: '+966555123456', to: '+966920001234' });
const recording = fake.state.seedRecording({ call_sid: call.sid });

const patients = new Map([['+966555123456', 'contact-1842']]);
const twilio = createTwilioConnector({
  accountSid: FIXTURE_ACCOUNT_SID,
  authToken,
  messagingServiceSid: FIXTURE_MESSAGING_SERVICE_SID,
  defaultRegion: 'SA',
  voice: {
    trackingNumbers: { '+966920001234': 'ramadan-checkup-2026' },
    lookupContact: (e164) => patients.get(e164),
    recordingAnnounced: true, // our TwiML plays the notice before <Dial record>
  },
});

// Finished calls since a start time; keep the last checkpoint for the next (incremental) read.
let checkpoint: CallsCheckpoint | undefined;
for await (const page of twilio.streams.calls.read({ checkpoint: { since: '2026-03-01T00:00:00Z', skip: [] } })) {
  for (const c of page.records)
    console.log('call', c.id, c.contactId, c.campaignId, `ring ${c.ringSec}s talk ${c.durationSec}s`, c.hangupCause?.name);
  checkpoint = page.checkpoint;
}
console.log('next read starts at', checkpoint?.since);

// Twilio posts the call's progress to your statusCallback; hand the Fetch Request over.
const completed = signedTwilioWebhook({
  url: 'https://crm.hospital.sa/twilio/voice-status',
  params: {
    CallSid: call.sid,
    CallStatus: 'completed',
    CallDuration: '95',
    Direction: 'inbound',
    From: '+966555123456',
    To: '+966920001234',
    Timestamp: 'Sun, 01 Mar 2026 08:31:41 +0000',
  },
  authToken,
});
const [event] = await twilio.webhooks.voiceStatusCallback.verify(completed);
console.log(event?.type, event?.data); // call.completed, the CallRecord

// The recording (PHI) streamed to a file, never held in memory whole.
const file = join(tmpdir(), `${recording.sid}.mp3`);
const saved = await twilio.downloadRecording(`twilio:recordings/${recording.sid}`, createWriteStream(file));
console.log('saved', saved.bytes, 'bytes of', saved.contentType);
server.close();
