import { connectorKit, timingSafeEqualString, WebhookVerificationError } from '@hmi/core';
import type { Hl7v2Context } from '../hl7v2-context.js';
import { type Hl7MappedMessage, mapHl7Message } from '../mappers/map-message.js';
import { toValidation } from '../messages/message-actions.js';
import type { Hl7Message } from '../parser/message.js';
import { parseHl7 } from '../parser/parse.js';

const { webhook } = connectorKit<Hl7v2Context>();

/** An inbound HL7 message as a webhook-style event. */
export interface Hl7InboundEvent {
  /** MSH-10. */
  id: string;
  /** `hl7.<type>.<trigger>`, e.g. `hl7.adt.a04`. */
  type: string;
  occurredAt?: string;
  data: Hl7MappedMessage;
}

/** The event for a parsed, mapped message. */
export function toInboundEvent(message: Hl7Message, data: Hl7MappedMessage): Hl7InboundEvent {
  const type = `hl7.${(message.messageType ?? 'unknown').toLowerCase()}.${(message.triggerEvent ?? 'unknown').toLowerCase()}`;
  const occurred = 'contact' in data ? data.contact.updatedAt : undefined;
  return { id: message.controlId ?? '', type, ...(occurred && { occurredAt: occurred }), data };
}

/**
 * HL7 over HTTP: the body is one message; the event carries the mapped records. With
 * `webhookToken` configured the request must carry it (`x-hl7-token` or a bearer token).
 */
export const message = webhook({
  description: 'HL7 v2 over HTTP: the body is one message (or a batch); events carry the mapped records',
  async verify(request, ctx) {
    const token = ctx.config.webhookToken;
    if (token) {
      const given = request.headers.get('x-hl7-token') ?? request.headers.get('authorization')?.replace(/^Bearer\s+/i, '') ?? '';
      if (!timingSafeEqualString(given, token)) throw new WebhookVerificationError('missing or wrong HL7 webhook token');
    }
    let parsed: Hl7Message;
    try {
      parsed = parseHl7(request.rawBody);
    } catch (error) {
      throw toValidation(error);
    }
    return [toInboundEvent(parsed, mapHl7Message(parsed, ctx.mapOptions))];
  },
});
