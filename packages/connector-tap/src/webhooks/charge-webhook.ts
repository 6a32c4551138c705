import { type WebhookEvent, WebhookVerificationError, webhook } from '@hmi/core';
import { getCharge } from '../charges/charge-actions.js';
import type { TapContext } from '../tap-context.js';
import { type TapPayment, toTapPayment } from '../tap-model.js';
import { TAP_HASHSTRING_HEADER, verifyTapHashstring } from './hashstring.js';

/**
 * What a Tap webhook event carries: the charge as re-read over the API (`trusted: true`), or, when
 * that read failed, its id only (`trusted: false`): the event is still stored and acknowledged, and
 * whoever processes it reads the charge later with `retrieveCharge`.
 */
export type TapWebhookData =
  | { kind: 'payment'; trusted: true; payment: TapPayment }
  | { kind: 'payment'; trusted: false; paymentId: string }
  | { kind: 'other' };

/** A verified Tap webhook event. Tap sends no event id: `id` is the charge id and its status, so a redelivery deduplicates. */
export type TapWebhookEvent = WebhookEvent<TapWebhookData>;

/**
 * The `charges` webhook (Tap posts the charge or authorization object to `post.url`). The
 * `hashstring` header is checked first (constant time) against the HMAC Tap documents, keyed with
 * the secret API key; a mismatch is a WebhookVerificationError (answer 401). Then nothing from the
 * body is trusted: the charge is read back over the API and the event carries that version.
 */
export const chargeEvents = webhook<TapContext>({
  description: 'Tap charge/authorize webhooks: hashstring (HMAC-SHA256) verified, charge re-read over the API',
  async verify(request, ctx): Promise<TapWebhookEvent[]> {
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(request.rawBody).toString('utf8'));
    } catch {
      throw new WebhookVerificationError('Tap webhook body is not JSON: its hashstring cannot be checked');
    }
    if (!verifyTapHashstring(json, request.headers.get(TAP_HASHSTRING_HEADER), ctx.config.secretKey)) {
      throw new WebhookVerificationError('Tap webhook hashstring does not match');
    }
    const posted = json as { id: string; object?: unknown; status: string; transaction: { created: string | number } };
    const id = `${posted.id.slice(0, 128)}:${posted.status.slice(0, 64)}`;
    if (!/^(chg|auth)_[A-Za-z0-9]+$/.test(posted.id)) {
      // Signed, but not a charge or authorization (a refund, say): stored and acknowledged as is.
      const object = typeof posted.object === 'string' && /^[a-z_]{1,32}$/.test(posted.object) ? posted.object : 'unknown';
      return [{ id, type: `${object}.${posted.status.toLowerCase().slice(0, 64)}`, data: { kind: 'other' } }];
    }
    const base = { id, type: `${posted.id.startsWith('auth_') ? 'authorize' : 'charge'}.${posted.status.toLowerCase()}` };
    try {
      const payment = toTapPayment(await getCharge(ctx, posted.id, 'webhook.readBack', undefined));
      return [{ ...base, occurredAt: payment.createdAt!, data: { kind: 'payment', trusted: true, payment } }];
    } catch {
      return [{ ...base, data: { kind: 'payment', trusted: false, paymentId: posted.id } }];
    }
  },
});
