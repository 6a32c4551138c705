import { phi } from '@hmi/core';
import { sha256Hex } from '../sha256.js';
import * as v from 'valibot';
import { IsoDateTime, int, pattern, text, noArrays } from '../schema-kit.js';
import type { TwilioContext } from '../twilio-context.js';
import { normaliseRecipient } from './send-sms.js';
import { TwilioMessagePage, type TwilioMessageResource } from './twilio-message.js';

/** What a reconciliation look-up concluded about a send whose outcome is unknown. */
export type ReconcileResult = 'sent' | 'not_sent' | 'unknown';

/**
 * The SHA-256 (hex) of an SMS body as sent (UTF-8): what an outbox stores instead of the text, so
 * that {@link findSentMessage} can recognise the message without the outbox keeping PHI.
 */
export function smsBodyHash(body: string): string {
  return sha256Hex(body);
}

/** Input of `findSentMessage`. */
export const FindSentMessageInput = noArrays(
  v.object({
    /** The recipient the send was addressed to (normalised like `sendSms` does). */
    to: phi(text(1, 64)),
    /** When the send was attempted (ISO 8601): messages created before it are not it. */
    sentAfter: IsoDateTime,
    /** {@link smsBodyHash} of the body that was sent. */
    bodyHash: pattern(/^[0-9a-f]{64}$/, 'expected a hex SHA-256'),
    /** Messages read at most (newest first). Default 200. */
    maxMessages: v.optional(int(1, 1000)),
  }),
);
/** Input of `findSentMessage`. */
export type FindSentMessageInput = v.InferInput<typeof FindSentMessageInput>;

/** Output of `findSentMessage`: the verdict and, when found, the Message SID and its status. */
export const FindSentMessageOutput = noArrays(
  v.object({
    result: v.picklist(['sent', 'not_sent', 'unknown']),
    sid: v.optional(v.string()),
    status: v.optional(v.string()),
  }),
);
/** Output of `findSentMessage`. */
export type FindSentMessageOutput = v.InferOutput<typeof FindSentMessageOutput>;

// Twilio's clock and ours differ a little; a message created just before `sentAfter` may be ours.
const SKEW_MS = 60_000;

function createdAt(m: TwilioMessageResource): number | undefined {
  const value = m.date_created ?? m.date_sent;
  const ms = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Reconciles an "in doubt" SMS (the worker died mid-send, or the send timed out) with Twilio before
 * anything repeats it: lists the messages to `to` (Messages list, `To` + `DateSent>` the day of
 * `sentAfter`, plus the newest page without the date filter, because a message still queued has no
 * `date_sent` yet), keeps those created after `sentAfter`, and matches bodies by SHA-256.
 *
 * - `sent`: a message with that body exists (its SID and status are returned; do not send again);
 * - `not_sent`: Twilio lists no outbound message to that number since `sentAfter` (safe to send);
 * - `unknown`: messages exist in the window but none matches (Twilio may have altered the body —
 *   an appended opt-out notice, Smart Encoding, Message Redaction — or the window held more than
 *   `maxMessages`): hold the item for a human (dead-letter reason `in_doubt`).
 */
export async function findSentMessage(
  input: v.InferOutput<typeof FindSentMessageInput>,
  ctx: TwilioContext,
  signal: AbortSignal | undefined,
): Promise<FindSentMessageOutput> {
  const to = normaliseRecipient(input.to, ctx);
  const since = Date.parse(input.sentAfter) - SKEW_MS;
  const limit = input.maxMessages ?? 200;
  const day = new Date(since).toISOString().slice(0, 10);
  const read = async (query: Record<string, string | number>) => {
    const found: TwilioMessageResource[] = [];
    let next: string | undefined;
    let truncated = false;
    do {
      const page = await ctx.http.request({
        path: next ?? `${ctx.accountPath}/Messages.json`,
        ...(next ? {} : { query }),
        schema: TwilioMessagePage,
        operation: 'findSentMessage',
        signal,
      });
      found.push(...page.messages);
      next = page.next_page_uri?.startsWith(`${ctx.accountPath}/Messages.json`) ? page.next_page_uri : undefined;
      // Newest first: once a page reaches before the window, later pages cannot hold the message.
      const oldest = page.messages.at(-1);
      const oldestAt = oldest ? createdAt(oldest) : undefined;
      if (oldestAt !== undefined && oldestAt < since) next = undefined;
      if (found.length >= limit && next) {
        truncated = true;
        next = undefined;
      }
    } while (next);
    return { found, truncated };
  };
  const sent = await read({ To: to, 'DateSent>': day, PageSize: Math.min(limit, 100) });
  const recent = await read({ To: to, PageSize: Math.min(limit, 50) });
  const candidates = [...sent.found, ...recent.found].filter((m) => {
    const at = createdAt(m);
    return m.direction !== 'inbound' && (at === undefined || at >= since);
  });
  const match = candidates.find((m) => typeof m.body === 'string' && smsBodyHash(m.body) === input.bodyHash);
  if (match) return { result: 'sent', sid: match.sid, status: match.status };
  if (candidates.length > 0 || sent.truncated || recent.truncated) return { result: 'unknown' };
  return { result: 'not_sent' };
}
