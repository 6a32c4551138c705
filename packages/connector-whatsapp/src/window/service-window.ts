import type { WhatsAppContext } from '../whatsapp-context.js';
import { outsideWindowError } from '../whatsapp-error.js';

/** WhatsApp's customer-service window: free-form messages only within 24 hours of the patient's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * When the patient last wrote, as far as anyone knows: the later of the call's `lastInboundAt` and
 * the host's `lastInbound` lookup. A lookup that throws counts as unknown (its error text is
 * withheld), so a broken store refuses the send rather than allowing it.
 */
export async function lastInboundOf(e164: string, given: Date | undefined, ctx: WhatsAppContext): Promise<Date | undefined> {
  let stored: Date | undefined;
  if (ctx.config.lastInbound) {
    try {
      const answer = await ctx.config.lastInbound(e164);
      stored = answer instanceof Date && !Number.isNaN(answer.getTime()) ? answer : undefined;
    } catch {
      stored = undefined;
    }
  }
  if (!given) return stored;
  if (!stored) return given;
  return given.getTime() >= stored.getTime() ? given : stored;
}

/** Whether a window opened at `lastInbound` is still open at `now` (a time in the future counts as unknown). */
export function windowOpen(lastInbound: Date | undefined, now: number): boolean {
  if (!lastInbound) return false;
  const age = now - lastInbound.getTime();
  return age >= 0 && age < SERVICE_WINDOW_MS;
}

/**
 * Refuses a free-form send before any request unless the patient wrote within the last 24 hours:
 * a ValidationError `outside_service_window` telling to send a template. Unknown is refused too.
 */
export async function assertInWindow(e164: string, given: Date | undefined, ctx: WhatsAppContext): Promise<Date> {
  const last = await lastInboundOf(e164, given, ctx);
  if (!last || !windowOpen(last, ctx.now())) throw outsideWindowError(ctx.connector);
  return last;
}

/** Records an inbound message's time through the host's recorder, keeping only the newest. Never throws. */
export async function recordInbound(e164: string, at: Date, ctx: WhatsAppContext): Promise<void> {
  const record = ctx.config.recordInbound;
  if (!record) return;
  try {
    const known = await lastInboundOf(e164, undefined, ctx);
    if (known && known.getTime() >= at.getTime()) return; // a redelivery or an older message
    await record(e164, at);
  } catch {
    // The host's store failing must not fail the webhook: the next inbound message records again,
    // and until then a free-form send is refused (fail closed), never wrongly allowed.
  }
}
