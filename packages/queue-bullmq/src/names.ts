import { createHash } from 'node:crypto';

/**
 * The BullMQ queue of a topic. BullMQ forbids `:` in queue names and topics are `deliver:sms`, so
 * other characters become `_`, with a short hash of the topic whenever that changed anything (two
 * topics never share a queue).
 * @internal
 */
export function queueNameOf(topic: string): string {
  const safe = topic.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === topic ? `outbox.${topic}` : `outbox.${safe}.${createHash('sha1').update(topic).digest('hex').slice(0, 8)}`;
}

/**
 * The BullMQ job id of an outbox item: one job per item, so adding it twice is a no-op. BullMQ
 * refuses integer-looking ids and `:`; the `o.` prefix and percent-escaping keep every id valid.
 * @internal
 */
export function jobIdOf(itemId: string): string {
  return `o.${itemId.replace(/[%:]/g, (c) => (c === '%' ? '%25' : '%3A'))}`;
}

/** The name of the queue that runs scheduled syncs. @internal */
export const SYNC_QUEUE = 'syncs';
