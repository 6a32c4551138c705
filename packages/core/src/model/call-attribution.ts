import type { CallHangupCause, CallRecord } from './business.js';

// The vendor-neutral half of telephony: every telephony connector (Asterisk ARI, Twilio Voice)
// hands its CallRecords through here, so a call lands on the patient and the campaign the same way
// whichever PBX carried it.

/**
 * Q.850 cause names for the causes a call centre meets (Asterisk's `causes.h` spelling). Any other
 * code keeps the vendor's text, normalised to the same UPPER_SNAKE form.
 */
const Q850_NAMES: Readonly<Record<number, string>> = {
  0: 'NOT_DEFINED',
  1: 'UNALLOCATED',
  3: 'NO_ROUTE_DESTINATION',
  16: 'NORMAL_CLEARING',
  17: 'USER_BUSY',
  18: 'NO_USER_RESPONSE',
  19: 'NO_ANSWER',
  20: 'SUBSCRIBER_ABSENT',
  21: 'CALL_REJECTED',
  22: 'NUMBER_CHANGED',
  27: 'DESTINATION_OUT_OF_ORDER',
  28: 'INVALID_NUMBER_FORMAT',
  31: 'NORMAL_UNSPECIFIED',
  34: 'NORMAL_CIRCUIT_CONGESTION',
  38: 'NETWORK_OUT_OF_ORDER',
  41: 'NORMAL_TEMPORARY_FAILURE',
  42: 'SWITCH_CONGESTION',
  58: 'BEARERCAPABILITY_NOTAVAIL',
  102: 'RECOVERY_ON_TIMER_EXPIRE',
  127: 'INTERWORKING',
};

/**
 * The Q.850 hangup cause for a code (0–127; anything else becomes 0) and, for a code without a
 * known name, the vendor's cause text in UPPER_SNAKE form.
 */
export function q850Cause(code: number, text?: string): CallHangupCause {
  const clamped = Number.isInteger(code) && code >= 0 && code <= 127 ? code : 0;
  const fallback = text
    ?.trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .slice(0, 64);
  return { code: clamped, name: Q850_NAMES[clamped] ?? (fallback || 'UNKNOWN') };
}

/** How {@link attributeCall} matches a call. */
export interface CallAttributionOptions {
  /**
   * Normalises a number to E.164, or returns undefined when it is not a phone number (an
   * extension, `anonymous`, a SIP URI). Pass `@hmi/phone`'s `tryNormalizePhone` with the
   * hospital's region; the core itself knows no numbering plans.
   */
  normalize(raw: string): string | undefined;
  /** Tracking number (E.164) → campaign id: an inbound call to one is attributed to the campaign. */
  trackingNumbers?: Readonly<Record<string, string>>;
  /**
   * Finds the CRM contact of a remote number (E.164); its id becomes the record's `contactId`.
   * A lookup that throws leaves the record unmatched (reported through `onLookupError`).
   */
  lookupContact?(e164: string): string | undefined | Promise<string | undefined>;
  /** Told when `lookupContact` threw; its error is not passed on (it may quote the number). */
  onLookupError?(): void;
}

/**
 * The synchronous half of {@link attributeCall}: `from` and `to` become E.164 where they are
 * phone numbers (extensions, `anonymous` and SIP addresses are kept), and an inbound call to a
 * tracking number gets its `campaignId` and `trackingNumber`. Internal calls are left as they are.
 * Returns a new record; a campaign the record already carries is kept.
 */
export function normalizeCall(
  record: CallRecord,
  options: Pick<CallAttributionOptions, 'normalize' | 'trackingNumbers'>,
): CallRecord {
  if (record.direction === 'internal') return { ...record };
  const normal = (raw: string) => (raw ? (options.normalize(raw) ?? raw) : raw);
  const out: CallRecord = { ...record, from: normal(record.from), to: normal(record.to) };
  const table = options.trackingNumbers;
  if (record.direction === 'inbound' && out.campaignId === undefined && table && Object.hasOwn(table, out.to)) {
    out.campaignId = table[out.to];
    out.trackingNumber = out.to;
  }
  return out;
}

/**
 * Normalises and attributes a CallRecord ({@link normalizeCall}), then looks the remote party (the
 * caller of an inbound call, the callee of an outbound one) up as a contact, when it is an E.164
 * number and the record has no `contactId` yet. Every telephony connector delivers its records
 * through this, so a call from a patient's mobile lands on the same contact and campaign whichever
 * PBX carried it.
 */
export async function attributeCall(record: CallRecord, options: CallAttributionOptions): Promise<CallRecord> {
  const out = normalizeCall(record, options);
  const remote = out.direction === 'inbound' ? out.from : out.direction === 'outbound' ? out.to : undefined;
  if (options.lookupContact && remote?.startsWith('+') && out.contactId === undefined) {
    try {
      const contactId = await options.lookupContact(remote);
      if (contactId) out.contactId = contactId;
    } catch {
      options.onLookupError?.();
    }
  }
  return out;
}
