import { ConfigError, type WebhookDefinition, type WebhookRequest, webhook } from '@hmi/core';
import type { StripeContext } from '../stripe-context.js';
import { mapStripeEvents } from './map-events.js';
import { verifyStripeWebhook } from './verify-signature.js';

/**
 * The connector's `events` webhook: verifies the raw request against the configured
 * `webhookSecret` (one or several), then maps the event to canonical records.
 */
export const events: WebhookDefinition<StripeContext> = webhook<StripeContext>({
  description: 'Stripe webhook endpoint: Stripe-Signature verified over raw bytes, events mapped to Payment / Invoice.',
  async verify(request: WebhookRequest, ctx) {
    if (ctx.webhookSecrets.length === 0) {
      throw new ConfigError('set webhookSecret in the Stripe connector config to receive webhooks', { connector: 'stripe' });
    }
    const event = verifyStripeWebhook({
      payload: request.rawBody,
      signature: request.headers.get('stripe-signature'),
      secret: ctx.webhookSecrets,
    });
    return mapStripeEvents([event]);
  },
});
