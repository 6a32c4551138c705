import type { WebhookEvent } from '@hmi/core';
import type { SendGridEventData } from '../webhooks/event-schemas.js';

/** What a reconciliation look-up concluded about a send whose outcome is unknown. */
export type ReconcileResult = 'sent' | 'not_sent' | 'unknown';

/**
 * Says whether SendGrid is known to have accepted the email of an "in doubt" outbox item, from the
 * Event Webhook events received for it (sends made with `outboxId` carry it as
 * `custom_args.hmi_outbox_id`, and every event SendGrid reports — `processed`, `delivered`,
 * `deferred`, `bounce`, `dropped`, … — names it in `data.outboxId`).
 *
 * - `sent`: an event names the outbox id: SendGrid accepted the email; do not send it again;
 * - `unknown` otherwise. It is never `not_sent`: events arrive seconds to minutes late, and SendGrid
 *   offers no free look-up by custom argument (only the paid Email Activity API, which is itself
 *   eventually consistent). An outbox holds such an item for a human (dead-letter reason
 *   `in_doubt`) rather than repeat it.
 */
export function reconcileSendGridOutbox(
  outboxId: string,
  events: Iterable<WebhookEvent<Partial<SendGridEventData> | unknown>>,
): ReconcileResult {
  for (const event of events) {
    const data = event.data as Partial<SendGridEventData> | null | undefined;
    if (data && typeof data === 'object' && data.outboxId === outboxId) return 'sent';
  }
  return 'unknown';
}
