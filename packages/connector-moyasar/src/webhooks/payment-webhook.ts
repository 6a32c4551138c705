import { createHash } from 'node:crypto';
import { ConfigError, type WebhookEvent, WebhookVerificationError, webhook } from '@hmi/core';
import { z } from 'zod';
import type { MoyasarContext } from '../moyasar-context.js';
import { type MoyasarPayment, toMoyasarPayment } from '../moyasar-model.js';
import { getPayment } from '../payments/payment-actions.js';
import { verifyMoyasarSecretToken } from './secret-token.js';

/** The payment events Moyasar sends (Webhook Reference). */
export const MOYASAR_PAYMENT_EVENTS = [
  'payment_paid',
  'payment_failed',
  'payment_refunded',
  'payment_voided',
  'payment_authorized',
  'payment_captured',
  'payment_verified',
  'payment_abandoned',
] as const;

/**
 * What a Moyasar webhook event carries: the payment as re-read over the API (`trusted: true`), or,
 * when that read failed, only its id (`trusted: false`): the event is still stored and
 * acknowledged, and whoever processes it reads the payment later with `fetchPayment`.
 */
export type MoyasarWebhookData =
  | { kind: 'payment'; trusted: true; payment: MoyasarPayment; live: boolean | undefined }
  | { kind: 'payment'; trusted: false; paymentId: string; live: boolean | undefined }
  | { kind: 'other'; live: boolean | undefined };

/** A verified Moyasar webhook event; `id` is Moyasar's event id (stable across redeliveries). */
export type MoyasarWebhookEvent = WebhookEvent<MoyasarWebhookData>;

// Only what authentication and routing need: the payment itself is never taken from the body.
const Envelope = z.looseObject({
  id: z.string().min(1).max(128),
  type: z.string().min(1).max(64),
  created_at: z.string().max(64).optional(),
  secret_token: z.string(),
  live: z.boolean().optional(),
  data: z.looseObject({ id: z.string().max(64).optional() }).nullish(),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The `payments` webhook. Moyasar puts the shared secret in the JSON body (`secret_token`), so the
 * body is parsed first: anything that does not carry a matching token — not JSON, no token, a wrong
 * one — is a WebhookVerificationError (answer 401). The token is compared in constant time.
 *
 * Then, as Moyasar's docs advise, nothing in the body is trusted: the payment is read back over
 * the API (`GET /v1/payments/{data.id}`) and the event carries that payment. If the read fails the
 * event still comes back (stored and acknowledged) with `trusted: false` and the payment id.
 */
export const paymentEvents = webhook<MoyasarContext>({
  description: 'Moyasar payment_* events: secret_token checked in constant time, payment re-read over the API',
  async verify(request, ctx): Promise<MoyasarWebhookEvent[]> {
    if (ctx.webhookSecrets.length === 0) {
      throw new ConfigError('set webhookSecret to receive Moyasar webhooks', { connector: 'moyasar' });
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(request.rawBody).toString('utf8'));
    } catch {
      throw new WebhookVerificationError('Moyasar webhook body is not JSON: it carries no secret_token');
    }
    const token = typeof json === 'object' && json !== null ? (json as { secret_token?: unknown }).secret_token : undefined;
    if (!verifyMoyasarSecretToken(token, ctx.webhookSecrets)) {
      throw new WebhookVerificationError('Moyasar webhook secret_token does not match');
    }
    const parsed = Envelope.safeParse(json);
    if (!parsed.success) {
      // Authenticated but not an event we can read: still stored and acknowledged (under an id
      // derived from the bytes, so a redelivery deduplicates); processing sends it to the DLQ.
      const digest = createHash('sha256').update(request.rawBody).digest('hex').slice(0, 32);
      return [{ id: `moyasar-unreadable-${digest}`, type: 'unreadable', data: { kind: 'other', live: undefined } }];
    }
    const event = parsed.data;
    const base = { id: event.id, type: event.type, ...(event.created_at && { occurredAt: event.created_at }) };
    const live = event.live;
    const paymentId = event.data?.id;
    if (!(MOYASAR_PAYMENT_EVENTS as readonly string[]).includes(event.type) || !paymentId || !UUID.test(paymentId)) {
      return [{ ...base, data: { kind: 'other', live } }];
    }
    try {
      const payment = toMoyasarPayment(await getPayment(ctx, paymentId, 'webhook.readBack', undefined));
      return [{ ...base, data: { kind: 'payment', trusted: true, payment, live } }];
    } catch {
      return [{ ...base, data: { kind: 'payment', trusted: false, paymentId, live } }];
    }
  },
});
