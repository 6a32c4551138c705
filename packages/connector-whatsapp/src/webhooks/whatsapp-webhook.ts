import { webhook } from '@hmi/core';
import { answerGraphHandshake } from '@hmi/connector-meta/graph';
import type { WhatsAppContext } from '../whatsapp-context.js';
import { mapWhatsApp } from './map.js';
import { receiveWhatsApp } from './receive.js';

/**
 * The WhatsApp Business Account webhook (fields `messages` and `message_template_status_update`):
 * GET `hub.mode=subscribe` is the subscription handshake, answered without host code; a POST is
 * verified on its raw bytes (`X-Hub-Signature-256`), stored as received, then mapped to
 * `message.received`, `message.<status>`, `consent.revoked` / `consent.granted` and
 * `template.status` events.
 */
export const whatsAppEvents = webhook<WhatsAppContext>({
  description: 'WhatsApp statuses, inbound messages (opt-out words as consent events) and template status, X-Hub-Signature-256',
  handshake: (request, ctx) => answerGraphHandshake(request, ctx.config.verifyToken),
  verify: async (request, ctx) => receiveWhatsApp(request, ctx),
  map: (event, ctx) => mapWhatsApp(event, ctx),
});
