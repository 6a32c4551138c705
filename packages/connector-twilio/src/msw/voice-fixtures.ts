/**
 * Hand-written Twilio Voice fixtures: data shaped like the v2010 Call and Recording resources,
 * which the contract tests validate against Twilio's own OpenAPI description.
 */
import { FIXTURE_ACCOUNT_SID, rfc2822 } from './fixtures.js';

/** A Twilio Call resource as the REST API returns it. */
export interface TwilioCallFixture {
  account_sid: string;
  answered_by: string | null;
  api_version: string;
  caller_name: string | null;
  date_created: string;
  date_updated: string;
  direction: 'inbound' | 'outbound-api' | 'outbound-dial' | 'trunking-terminating' | 'trunking-originating';
  duration: string | null;
  end_time: string | null;
  forwarded_from: string | null;
  from: string;
  from_formatted: string;
  group_sid: string | null;
  parent_call_sid: string | null;
  phone_number_sid: string | null;
  price: string | null;
  price_unit: string;
  queue_time: string;
  sid: string;
  start_time: string | null;
  status: 'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';
  subresource_uris: Record<string, string>;
  to: string;
  to_formatted: string;
  trunk_sid: string | null;
  uri: string;
}

/** A Twilio Recording resource as the REST API returns it. */
export interface TwilioRecordingFixture {
  account_sid: string;
  api_version: string;
  call_sid: string;
  conference_sid: string | null;
  channels: number;
  date_created: string;
  date_updated: string;
  start_time: string;
  duration: string;
  price: string | null;
  price_unit: string;
  sid: string;
  source:
    | 'DialVerb'
    | 'Conference'
    | 'OutboundAPI'
    | 'Trunking'
    | 'RecordVerb'
    | 'StartCallRecordingAPI'
    | 'StartConferenceRecordingAPI';
  status: 'in-progress' | 'paused' | 'stopped' | 'processing' | 'completed' | 'absent' | 'deleted';
  error_code: number | null;
  uri: string;
  encryption_details: null;
  subresource_uris: Record<string, string>;
  media_url: string;
}

/** A Call SID from a counter: `CA` + 32 hex digits. */
export function callSid(n: number): string {
  return `CA${n.toString(16).padStart(32, '0')}`;
}

/** A Recording SID from a counter: `RE` + 32 hex digits. */
export function recordingSid(n: number): string {
  return `RE${n.toString(16).padStart(32, '0')}`;
}

/** A completed inbound call (ringing 6 s, talking 95 s) from a Saudi mobile; override any field. */
export function twilioCallFixture(overrides: Partial<TwilioCallFixture> = {}): TwilioCallFixture {
  const accountSid = overrides.account_sid ?? FIXTURE_ACCOUNT_SID;
  const sid = overrides.sid ?? callSid(1);
  const start = new Date('2026-03-01T08:30:00Z');
  const end = new Date(start.getTime() + 101_000);
  const path = `/2010-04-01/Accounts/${accountSid}/Calls/${sid}`;
  return {
    account_sid: accountSid,
    answered_by: null,
    api_version: '2010-04-01',
    caller_name: null,
    date_created: rfc2822(start),
    date_updated: rfc2822(end),
    direction: 'inbound',
    duration: '95',
    end_time: rfc2822(end),
    forwarded_from: null,
    from: '+966555123456',
    from_formatted: '0555 123 456',
    group_sid: null,
    parent_call_sid: null,
    phone_number_sid: 'PN0123456789abcdef0123456789abcdef',
    price: '-0.01000',
    price_unit: 'USD',
    queue_time: '0',
    sid,
    start_time: rfc2822(start),
    status: 'completed',
    subresource_uris: { recordings: `${path}/Recordings.json`, notifications: `${path}/Notifications.json` },
    to: '+966920001234',
    to_formatted: '920 001 234',
    trunk_sid: null,
    uri: `${path}.json`,
    ...overrides,
  };
}

/** A completed recording of {@link twilioCallFixture}'s call; override any field. */
export function twilioRecordingFixture(overrides: Partial<TwilioRecordingFixture> = {}): TwilioRecordingFixture {
  const accountSid = overrides.account_sid ?? FIXTURE_ACCOUNT_SID;
  const sid = overrides.sid ?? recordingSid(1);
  const created = rfc2822(new Date('2026-03-01T08:30:06Z'));
  const path = `/2010-04-01/Accounts/${accountSid}/Recordings/${sid}`;
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    call_sid: callSid(1),
    conference_sid: null,
    channels: 1,
    date_created: created,
    date_updated: created,
    start_time: created,
    duration: '95',
    price: '-0.00250',
    price_unit: 'USD',
    sid,
    source: 'DialVerb',
    status: 'completed',
    error_code: null,
    uri: `${path}.json`,
    encryption_details: null,
    subresource_uris: { add_on_results: `${path}/AddOnResults.json`, transcriptions: `${path}/Transcriptions.json` },
    media_url: `https://api.twilio.com${path}`,
    ...overrides,
  };
}
