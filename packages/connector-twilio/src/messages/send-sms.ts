import {
  ConsentError,
  type Message,
  type SendPurpose,
  ValidationError,
  isHmiError,
  phi,
  pickLanguage,
  renderTemplate,
} from '@hmi/core';
import { normalizePhone } from '@hmi/phone';
import * as v from 'valibot';
import { finite, nonEmpty, text, noArrays } from '../schema-kit.js';
import { countSmsSegments } from '../sms/segments.js';
import type { TwilioContext } from '../twilio-context.js';
import { TwilioErrorCode, markSendOutcomeUnknown } from '../twilio-error.js';
import { TwilioMessageResource, toCanonicalMessage } from './twilio-message.js';

/** Twilio's limit on a message body, in characters. */
export const MAX_BODY_LENGTH = 1600;
/** Twilio schedules no sooner than 15 minutes ahead… */
export const MIN_SCHEDULE_AHEAD_MS = 15 * 60 * 1000;
/** …and no later than 35 days ahead. */
export const MAX_SCHEDULE_AHEAD_MS = 35 * 24 * 60 * 60 * 1000;

const ScheduleAt = v.union([
  v.date(),
  v.pipe(
    v.string(),
    v.check((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date-time'),
    v.transform((s) => new Date(s)),
  ),
]);

const Purpose = v.picklist(['transactional', 'marketing']);

// The fields `sendSms` and `sendTemplatedSms` share (all but `body`).
const recipientEntries = {
  /** The recipient: E.164, or a local number read with `defaultRegion` (`0555123456` with `SA`). */
  to: phi(text(1, 64)),
  /** `marketing` needs the host's consent check to say yes; `transactional` always passes. */
  purpose: Purpose,
  /** The CRM contact, passed to the consent check and kept on the result. */
  contactId: v.optional(text(1, 256)),
  /** Send later (15 minutes to 35 days ahead); needs a Messaging Service. */
  scheduleAt: v.optional(ScheduleAt),
};

/** Input of `sendSms`. */
export const SendSmsInput = noArrays(
  v.object({
    to: recipientEntries.to,
    /** The text. Arabic is sent as UCS-2: 70 characters per single SMS, 67 per part when longer. */
    body: phi(text(1, MAX_BODY_LENGTH)),
    purpose: recipientEntries.purpose,
    contactId: recipientEntries.contactId,
    scheduleAt: recipientEntries.scheduleAt,
  }),
);
/** Input of `sendSms` as callers write it. */
export type SendSmsInput = v.InferInput<typeof SendSmsInput>;

/** A template in Arabic and English (more languages allowed) with `{{name}}` variables. */
export const BilingualTemplateSchema = noArrays(v.objectWithRest({ ar: nonEmpty(), en: nonEmpty() }, nonEmpty()));

/** Input of `sendTemplatedSms`. */
export const SendTemplatedSmsInput = noArrays(
  v.object({
    ...recipientEntries,
    template: phi(BilingualTemplateSchema),
    /** Values for the template's variables (patient name, appointment time…). */
    vars: v.optional(phi(noArrays(v.record(v.string(), v.union([v.string(), finite()])))), {}),
    /** The contact's preferred languages, most preferred first (`['ar']`, `['en-GB', 'ar']`). */
    languages: v.optional(v.pipe(v.array(text(1, 35)), v.maxLength(20))),
    /** Used when none of `languages` has a template text. Default `ar`. */
    fallbackLanguage: v.optional(v.picklist(['ar', 'en']), 'ar'),
  }),
);
/** Input of `sendTemplatedSms` as callers write it. */
export type SendTemplatedSmsInput = v.InferInput<typeof SendTemplatedSmsInput>;

/** Normalises a recipient to E.164, re-labelling the error's path as the field it came from. */
export function normaliseRecipient(raw: string, ctx: TwilioContext, field = 'to'): string {
  try {
    return normalizePhone(raw, { defaultRegion: ctx.defaultRegion });
  } catch (error) {
    if (!ValidationError.isInstance(error)) throw error;
    throw new ValidationError(`${field} is not a valid phone number`, {
      connector: ctx.connector,
      issues: [{ path: [field], code: 'invalid_phone', message: 'not a valid phone number' }],
    });
  }
}

function checkSchedule(scheduleAt: Date, ctx: TwilioContext): void {
  const fail = (message: string, code: string) => {
    throw new ValidationError(`scheduleAt ${message}`, {
      connector: ctx.connector,
      issues: [{ path: ['scheduleAt'], code, message }],
    });
  };
  if (!ctx.messagingServiceSid)
    fail('needs messagingServiceSid: Twilio schedules only through a Messaging Service', 'requires_messaging_service');
  const ahead = scheduleAt.getTime() - ctx.now().getTime();
  if (!(ahead >= MIN_SCHEDULE_AHEAD_MS)) fail('must be at least 15 minutes ahead', 'too_small');
  if (ahead > MAX_SCHEDULE_AHEAD_MS) fail('must be at most 35 days ahead', 'too_big');
}

/** Twilio accepts ISO 8601; whole seconds avoid any doubt about fractional parts. */
function toSendAt(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface SendRequest {
  to: string;
  body: string;
  purpose: SendPurpose;
  contactId?: string | undefined;
  scheduleAt?: Date | undefined;
}

/**
 * Sends one SMS. Order matters: number, schedule and consent are checked before any request, so a
 * refused marketing send never reaches Twilio. The POST is sent once: Twilio's Messages API takes
 * no idempotency key, and repeating a request that may have succeeded would text a patient twice.
 */
export async function sendSms(request: SendRequest, ctx: TwilioContext, signal: AbortSignal | undefined): Promise<Message> {
  const to = normaliseRecipient(request.to, ctx);
  if (request.scheduleAt) checkSchedule(request.scheduleAt, ctx);
  const segments = countSmsSegments(request.body);
  await ctx.gate.assertAllowed(
    { recipient: to, channel: 'sms', purpose: request.purpose, contactId: request.contactId },
    request.scheduleAt ?? ctx.now(),
  );
  const form: Record<string, string> = { To: to, Body: request.body };
  if (ctx.messagingServiceSid) form.MessagingServiceSid = ctx.messagingServiceSid;
  else if (ctx.from) form.From = ctx.from;
  if (ctx.statusCallbackUrl) form.StatusCallback = ctx.statusCallbackUrl;
  if (request.scheduleAt) {
    form.ScheduleType = 'fixed';
    form.SendAt = toSendAt(request.scheduleAt);
  }
  let resource: TwilioMessageResource;
  try {
    resource = await ctx.http.request({
      method: 'POST',
      path: `${ctx.accountPath}/Messages.json`,
      form,
      schema: TwilioMessageResource,
      operation: 'sendSms',
      signal,
    });
  } catch (error) {
    if (ConsentError.isInstance(error) && error.vendorCode === String(TwilioErrorCode.UNSUBSCRIBED_RECIPIENT)) {
      await ctx.gate.emit({
        type: 'consent.revoked',
        recipient: to,
        channel: 'sms',
        // A carrier-level STOP blocks every message from the sender, transactional included.
        purpose: 'all',
        source: 'vendor-error',
        ...(request.contactId && { contactId: request.contactId }),
        occurredAt: ctx.now().toISOString(),
        connector: ctx.connector,
      });
    }
    throw markSendOutcomeUnknown(error);
  }
  return toCanonicalMessage(resource, {
    purpose: request.purpose,
    segments,
    ...(request.contactId && { contactId: request.contactId }),
  });
}

/** Renders a bilingual template for the contact's languages, then sends it with {@link sendSms}. */
export async function sendTemplatedSms(
  input: v.InferOutput<typeof SendTemplatedSmsInput>,
  ctx: TwilioContext,
  signal: AbortSignal | undefined,
): Promise<Message> {
  const template = input.template as { ar: string; en: string } & Record<string, string>;
  const language = pickLanguage(template, input.languages, input.fallbackLanguage);
  let body: string;
  try {
    body = renderTemplate(template, language, input.vars);
  } catch (error) {
    if (isHmiError(error)) error.connector ??= ctx.connector;
    throw error;
  }
  if (body.length > MAX_BODY_LENGTH) {
    throw new ValidationError(`rendered body is longer than ${MAX_BODY_LENGTH} characters`, {
      connector: ctx.connector,
      issues: [{ path: ['template'], code: 'too_big', message: `too big: maximum ${MAX_BODY_LENGTH}` }],
    });
  }
  return sendSms(
    { to: input.to, body, purpose: input.purpose, contactId: input.contactId, scheduleAt: input.scheduleAt },
    ctx,
    signal,
  );
}
