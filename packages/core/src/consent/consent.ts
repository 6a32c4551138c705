import { ConsentError } from '../errors/errors.js';

/** A channel a message goes out on. */
export type ConsentChannel = 'sms' | 'email' | 'whatsapp' | 'phone' | 'post';
/** Why a message is sent. Transactional messages (reminders, receipts) need no marketing consent. */
export type SendPurpose = 'transactional' | 'marketing';

/** What the host is asked before a marketing send. */
export interface ConsentQuery {
  /** E.164 number or email address. */
  recipient: string;
  channel: ConsentChannel;
  purpose: SendPurpose;
  contactId?: string | undefined;
  /**
   * The contact's vital status, when the sender knows it (`Contact.deceased` / `deceasedAt`, see
   * `isDeceased`). A deceased patient is never sent marketing, whatever `check` answers.
   */
  deceased?: boolean | undefined;
}

/** The host's answer: a boolean, or a decision with the recipient's time zone for quiet hours. */
export type ConsentAnswer = boolean | { allowed: boolean; timeZone?: string };

/** A consent change learned from a vendor (STOP keyword, unsubscribe click, 21610 error). */
export interface ConsentEvent {
  type: 'consent.revoked' | 'consent.granted';
  recipient: string;
  channel: ConsentChannel;
  /** Which purposes: an SMS STOP revokes everything; an email group unsubscribe only marketing. */
  purpose: SendPurpose | 'all';
  /** `sms-keyword`, `email-unsubscribe`, `email-group-unsubscribe`, `spam-report`, `vendor-error`. */
  source: string;
  keyword?: string;
  contactId?: string;
  occurredAt: string;
  connector: string;
}

/** Quiet hours for marketing, in the recipient's local time. */
export interface QuietHours {
  /** `HH:MM`, e.g. `21:00`. */
  start: string;
  /** `HH:MM`, e.g. `08:00`. The window may wrap midnight. */
  end: string;
  /** Used when the consent answer gives none. Default `Asia/Riyadh`. */
  defaultTimeZone?: string;
}

/** The consent options every messaging connector accepts. */
export interface ConsentOptions {
  /** Asked before every marketing send. Without it, marketing sends are refused. */
  check?: (query: ConsentQuery) => ConsentAnswer | Promise<ConsentAnswer>;
  /**
   * Asked before a marketing send whose query does not say `deceased`: true when the recipient is
   * a deceased patient (the host looks the contact up, e.g. with `isDeceased(contact)`). A
   * deceased patient is never sent marketing; a failing lookup refuses the send.
   */
  isDeceased?: (query: ConsentQuery) => boolean | Promise<boolean>;
  /** Told of opt-outs and opt-ins that arrive from the vendor, to persist them. */
  onEvent?: (event: ConsentEvent) => void | Promise<void>;
  quietHours?: QuietHours;
  /**
   * Also ask `check` before transactional sends (reminders, receipts). Default false: transactional
   * sends need no marketing consent. Turn it on when the host keeps opt-outs that cover everything
   * (an SMS STOP revokes every purpose): `check` is then asked with `purpose: 'transactional'` and
   * a `false` refuses the send. Without a `check`, transactional sends still pass; quiet hours
   * never apply to them.
   */
  checkTransactional?: boolean;
}

/** The consent gate a connector calls before it sends. */
export interface ConsentGate {
  /** Resolves when the send may go; throws ConsentError (before any HTTP request) when not. */
  assertAllowed(query: ConsentQuery, now?: Date): Promise<void>;
  /** Reports a consent change to the host. Errors in the host's handler are swallowed and counted. */
  emit(event: ConsentEvent): Promise<void>;
}

function minutesOf(hhmm: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59)
    throw new ConsentError('quiet hours must be HH:MM', { reason: 'config' });
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Minutes since local midnight of `now` in `timeZone`. */
export function localMinutes(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

/** Whether `now` falls in the quiet window in `timeZone`. */
export function inQuietHours(quiet: QuietHours, now: Date, timeZone: string): boolean {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const current = localMinutes(now, timeZone);
  return start <= end ? current >= start && current < end : current >= start || current < end;
}

/**
 * For a transactional send under `checkTransactional`: refuses it when the host's `check` says no
 * (or fails: an unreachable consent store must not turn into a send).
 */
async function askHost(check: NonNullable<ConsentOptions['check']>, query: ConsentQuery, connector: string): Promise<void> {
  let allowed: boolean;
  try {
    const answer = await check(query);
    if (typeof answer === 'boolean') allowed = answer;
    else if (typeof answer === 'object' && answer !== null && typeof answer.allowed === 'boolean') allowed = answer.allowed;
    else throw new TypeError('consent check answered neither a boolean nor { allowed }');
  } catch (error) {
    throw new ConsentError('transactional send refused: the consent check failed', {
      reason: 'check_failed',
      connector,
      cause: error,
    });
  }
  if (!allowed) {
    throw new ConsentError('transactional send refused: the recipient has opted out', { reason: 'opted_out', connector });
  }
}

/**
 * Creates the consent gate. Transactional sends pass (unless `checkTransactional` asks the host's
 * `check` too); a marketing send passes only when the recipient is not known to be deceased
 * (`query.deceased`), the host's `check` says yes and, with quiet hours, not during them.
 */
export function createConsentGate(options: ConsentOptions = {}, connector = 'unknown'): ConsentGate {
  return {
    async assertAllowed(query, now = new Date()) {
      if (query.purpose === 'transactional') {
        if (options.checkTransactional === true && options.check) await askHost(options.check, query, connector);
        return;
      }
      let deceased = query.deceased === true;
      if (!deceased && query.deceased === undefined && options.isDeceased) {
        try {
          deceased = (await options.isDeceased(query)) === true;
        } catch (error) {
          throw new ConsentError('marketing send refused: the vital-status lookup failed', {
            reason: 'check_failed',
            connector,
            cause: error,
          });
        }
      }
      if (deceased) {
        // Before asking `check`: a consent recorded in life does not survive the patient.
        throw new ConsentError('marketing send refused: the patient is deceased', { reason: 'deceased', connector });
      }
      if (!options.check) {
        throw new ConsentError('marketing send refused: no consent checker is configured', {
          reason: 'no_consent_checker',
          connector,
        });
      }
      let answer: ConsentAnswer;
      try {
        answer = await options.check(query);
        if (
          typeof answer !== 'boolean' &&
          (typeof answer !== 'object' || answer === null || typeof answer.allowed !== 'boolean')
        ) {
          throw new TypeError('consent check answered neither a boolean nor { allowed }');
        }
      } catch (error) {
        // Fail closed: an unreachable consent store must not turn into a send.
        throw new ConsentError('marketing send refused: the consent check failed', {
          reason: 'check_failed',
          connector,
          cause: error,
        });
      }
      const allowed = typeof answer === 'boolean' ? answer : answer.allowed;
      if (!allowed)
        throw new ConsentError('marketing send refused: the recipient has not consented', { reason: 'no_consent', connector });
      if (options.quietHours) {
        const timeZone = (typeof answer === 'object' && answer.timeZone) || options.quietHours.defaultTimeZone || 'Asia/Riyadh';
        let quiet: boolean;
        try {
          quiet = inQuietHours(options.quietHours, now, timeZone);
        } catch (error) {
          // An unknown time zone or a malformed window must not turn into a send: fail closed.
          if (ConsentError.isInstance(error)) throw error;
          throw new ConsentError('marketing send refused: the time zone for quiet hours is not valid', {
            reason: 'config',
            connector,
          });
        }
        if (quiet) {
          throw new ConsentError("marketing send refused: quiet hours in the recipient's time zone", {
            reason: 'quiet_hours',
            connector,
            retryable: true,
          });
        }
      }
    },
    async emit(event) {
      try {
        await options.onEvent?.(event);
      } catch {
        // The host's persistence failing must not fail the webhook that carried the opt-out;
        // the vendor keeps its own opt-out list and will redeliver on a non-2xx anyway.
      }
    },
  };
}
