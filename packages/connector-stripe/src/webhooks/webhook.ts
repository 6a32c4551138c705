import { stripeKit } from '../stripe-context.js';
import { nodeCrypto, utf8 } from '../shared/builtins.js';
import { ConfigError, ValidationError, type WebhookDefinition, type WebhookEvent, type WebhookRequest } from '@hmi/core';
import { StripeEvent } from '../shared/objects.js';
import type { StripeContext } from '../stripe-context.js';
import { isStripeEventShape } from './event-envelope.js';
import { runSchema } from '@hmi/core/internal';
import { mapStripeEvent } from './map-events.js';
import { verifyStripeSignature } from './verify-signature.js';

/**
 * Reads the envelope of a payload whose signature verified: Stripe's event id and type, the whole
 * event kept as `data`. Nothing else is required here, whatever the event's shape: a payload
 * without a usable id (which Stripe never sends, but a signed one is authentic) is keyed by the
 * SHA-256 of its bytes, so it is still stored once and its mapping fails later, in the DLQ.
 */
export function stripeEnvelope(rawBody: Uint8Array): WebhookEvent<unknown> {
  let json: unknown;
  try {
    json = JSON.parse(utf8().decode(rawBody));
  } catch {
    json = undefined;
  }
  const record =
    json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  const id = typeof record?.id === 'string' && record.id.length > 0 && record.id.length <= 255 ? record.id : undefined;
  const type = typeof record?.type === 'string' && record.type.length > 0 && record.type.length <= 255 ? record.type : undefined;
  const created = typeof record?.created === 'number' && Number.isFinite(record.created) ? record.created : undefined;
  return {
    id: id ?? `sha256:${nodeCrypto().createHash('sha256').update(rawBody).digest('hex')}`,
    type: type ?? 'unreadable',
    ...(created !== undefined && { occurredAt: new Date(created * 1000).toISOString() }),
    data: record ?? { unreadable: true, bytes: rawBody.byteLength },
  };
}

/**
 * Maps a stored Stripe event (its `data` is the event as Stripe sent it) with
 * {@link mapStripeEvent}. Throws a ValidationError naming the missing field's path when the event
 * lacks what its mapping reads.
 */
export function mapStoredStripeEvent(event: WebhookEvent): WebhookEvent[] {
  // The quick in-place check first; the schema only for what it does not accept outright.
  if (!isStripeEventShape(event.data) && !runSchema(StripeEvent, event.data).ok) {
    throw new ValidationError(`stored Stripe event ${event.type} is not a Stripe event`, {
      code: 'invalid_webhook_payload',
      connector: 'stripe',
      operation: 'webhook',
      issues: [{ path: ['id'], code: 'invalid_type', message: 'expected a Stripe event with an id and a type' }],
    });
  }
  return [mapStripeEvent(event.data as StripeEvent)];
}

/**
 * The connector's `events` webhook: verifies the raw request against the configured
 * `webhookSecret` (one or several) and reads only the envelope; `map` turns the stored event into a
 * canonical Payment, refund or Invoice. Through `@hmi/flow`'s `createWebhookHandler` an authentic
 * event is stored and acknowledged whatever its shape; a mapping failure goes to the DLQ.
 */
export const events: WebhookDefinition<StripeContext> = /* @__PURE__ */ stripeKit.webhook({
  description:
    'Stripe webhook endpoint: Stripe-Signature verified over raw bytes, stored as received, then mapped to Payment / refund / Invoice.',
  async verify(request: WebhookRequest, ctx) {
    if (ctx.webhookSecrets.length === 0) {
      throw new ConfigError('set webhookSecret in the Stripe connector config to receive webhooks', { connector: 'stripe' });
    }
    verifyStripeSignature({
      payload: request.rawBody,
      signature: request.headers.get('stripe-signature'),
      secret: ctx.webhookSecrets,
    });
    return [stripeEnvelope(request.rawBody)];
  },
  map: (event) => mapStoredStripeEvent(event),
});
