import {
  ConfigError,
  formatIssues,
  toValidationIssues,
  ValidationError,
  type WebhookDefinition,
  type WebhookEvent,
  type WebhookRequest,
  WebhookVerificationError,
  webhook,
} from '@hmi/core';
import type { SendGridContext } from '../sendgrid-context.js';
import { SendGridEventBatch, type SendGridEventData } from './event-schemas.js';
import { mapSendGridEvents } from './map-events.js';
import { checkSendGridSignature, SENDGRID_SIGNATURE_HEADER, SENDGRID_TIMESTAMP_HEADER } from './verify-signature.js';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

function parseBody(rawBody: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(rawBody);
  } catch {
    throw new ValidationError('event webhook body is not UTF-8', {
      code: 'invalid_payload',
      issues: [{ path: [], code: 'invalid_encoding', message: 'expected UTF-8 JSON' }],
    });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('event webhook body is not JSON', {
      code: 'invalid_payload',
      issues: [{ path: [], code: 'invalid_json', message: 'expected a JSON array of events' }],
    });
  }
}

/**
 * Verifies a SendGrid Event Webhook request and returns its events: the signature first (over the
 * raw bytes), then the JSON array, validated. Events are deduplicated by `sg_event_id` within the
 * request; `WebhookEvent.id` is that id, so the host can drop redeliveries across requests.
 * Unsubscribes, group (re)subscribes and spam reports are also reported to the consent gate.
 */
export async function verifyEventWebhook(
  request: WebhookRequest,
  ctx: SendGridContext,
): Promise<WebhookEvent<SendGridEventData>[]> {
  if (!ctx.publicKey) {
    throw new ConfigError(
      ctx.publicKeyInvalid
        ? 'eventWebhookPublicKey is not a P-256 public key (base64 DER or PEM)'
        : 'eventWebhookPublicKey is required to receive the event webhook',
      {
        issues: [
          {
            path: ['eventWebhookPublicKey'],
            code: ctx.publicKeyInvalid ? 'invalid_key' : 'missing',
            message: 'P-256 public key required',
          },
        ],
      },
    );
  }
  const signature = request.headers.get(SENDGRID_SIGNATURE_HEADER);
  const timestamp = request.headers.get(SENDGRID_TIMESTAMP_HEADER);
  if (!signature || !timestamp)
    throw new WebhookVerificationError('event webhook request is not signed (signature or timestamp header missing)');
  if (request.rawBody.byteLength > MAX_BODY_BYTES) throw new WebhookVerificationError('event webhook body is too large');
  const check = checkSendGridSignature({
    payload: request.rawBody,
    signature,
    timestamp,
    publicKey: ctx.publicKey,
    toleranceSec: ctx.toleranceSec,
    now: ctx.now(),
  });
  if (!check.ok) {
    throw new WebhookVerificationError(
      check.reason === 'stale_timestamp'
        ? 'event webhook timestamp is outside the allowed window'
        : `event webhook signature did not verify (${check.reason})`,
    );
  }
  const parsed = SendGridEventBatch.safeParse(parseBody(request.rawBody));
  if (!parsed.success) {
    const issues = toValidationIssues(parsed.error);
    throw new ValidationError(`event webhook payload is invalid: ${formatIssues(issues)}`, { code: 'invalid_payload', issues });
  }
  const events = mapSendGridEvents(parsed.data, ctx.connector);
  for (const event of events) {
    if (event.data.consent) await ctx.gate.emit(event.data.consent);
  }
  return events;
}

/** The Event Webhook on the connector contract (`instance.webhooks.events.verify(request)`). */
export const eventWebhook: WebhookDefinition<SendGridContext> = webhook<SendGridContext>({
  description: 'SendGrid Signed Event Webhook: delivery, engagement and unsubscribe events',
  verify: verifyEventWebhook,
});
