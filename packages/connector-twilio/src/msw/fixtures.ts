/**
 * Hand-written Twilio fixtures: data shaped like the v2010 Message resource and error body, which
 * the contract tests validate against Twilio's own OpenAPI description.
 */

/** A Twilio Message resource as the REST API returns it (snake_case, RFC 2822 dates). */
export interface TwilioMessageFixture {
  account_sid: string;
  api_version: string;
  body: string;
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: 'inbound' | 'outbound-api' | 'outbound-call' | 'outbound-reply';
  error_code: number | null;
  error_message: string | null;
  from: string | null;
  messaging_service_sid: string | null;
  num_media: string;
  num_segments: string;
  price: string | null;
  price_unit: string | null;
  sid: string;
  status:
    | 'queued'
    | 'sending'
    | 'sent'
    | 'failed'
    | 'delivered'
    | 'undelivered'
    | 'receiving'
    | 'received'
    | 'accepted'
    | 'scheduled'
    | 'read'
    | 'partially_delivered'
    | 'canceled';
  subresource_uris: { media: string };
  to: string;
  uri: string;
}

/** Twilio's JSON error body. `message` often quotes the number sent, as the real API's does. */
export interface TwilioErrorFixture {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

/** An account SID for fixtures and tests. */
export const FIXTURE_ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
/** A Messaging Service SID for fixtures and tests. */
export const FIXTURE_MESSAGING_SERVICE_SID = 'MG0123456789abcdef0123456789abcdef';

/** Formats a date the way Twilio does: `Thu, 24 Aug 2023 05:01:45 +0000`. */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/** Builds a Message SID from a counter: `SM` + 32 hex digits. */
export function messageSid(n: number): string {
  return `SM${n.toString(16).padStart(32, '0')}`;
}

/** A queued outbound Message resource; override any field. */
export function twilioMessageFixture(overrides: Partial<TwilioMessageFixture> = {}): TwilioMessageFixture {
  const accountSid = overrides.account_sid ?? FIXTURE_ACCOUNT_SID;
  const sid = overrides.sid ?? messageSid(1);
  const now = rfc2822(new Date('2026-03-01T08:30:00Z'));
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: 'Your appointment at the Al Noor clinic is tomorrow at 10:00.',
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: '+966112345678',
    messaging_service_sid: null,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid,
    status: 'queued',
    subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
    to: '+966555123456',
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
    ...overrides,
  };
}

/** A Twilio error body. */
export function twilioErrorFixture(code: number, status: number, message: string): TwilioErrorFixture {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}
