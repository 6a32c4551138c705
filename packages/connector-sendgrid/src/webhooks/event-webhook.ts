import { sendGridKit } from '../sendgrid-context.js';
import { createHash } from 'node:crypto';
import {
  ConfigError,
  formatIssues,
  toValidationIssues,
  ValidationError,
  type WebhookDefinition,
  type WebhookEvent,
  type WebhookRequest,
  WebhookVerificationError,
} from '@hmi/core';
import type { SendGridContext } from '../sendgrid-context.js';
import { type SendGridEventData, SendGridRawEvent } from './event-schemas.js';
import { mapSendGridEvent } from './map-events.js';
import { checkSendGridSignature, SENDGRID_SIGNATURE_HEADER, SENDGRID_TIMESTAMP_HEADER } from './verify-signature.js';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseBody(rawBody: Uint8Array): unknown {
  try {
    return JSON.parse(utf8.decode(rawBody));
  } catch {
    return undefined;
  }
}

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/**
 * The envelopes of an authentic Event Webhook body: one per element of the JSON array, keyed by its
 * `sg_event_id` (first one wins within the request), `data` the element as received. Nothing else
 * is required of the shape: an element without a usable id is keyed by the SHA-256 of its JSON,
 * and a body that is not a JSON array by the SHA-256 of its bytes, so it is stored and its mapping
 * fails later, in the dead-letter queue.
 */
export function sendGridEnvelopes(rawBody: Uint8Array): WebhookEvent[] {
  const body = parseBody(rawBody);
  if (!Array.isArray(body)) {
    return [
      { id: `sha256:${sha256(rawBody)}`, type: 'sendgrid.unreadable', data: { unreadable: true, bytes: rawBody.byteLength } },
    ];
  }
  const seen = new Set<string>();
  const out: WebhookEvent[] = [];
  for (const element of body.slice(0, 10_000)) {
    const record =
      element !== null && typeof element === 'object' && !Array.isArray(element) ? (element as Record<string, unknown>) : {};
    const given = record.sg_event_id;
    const id =
      typeof given === 'string' && given.length > 0 && given.length <= 255
        ? given
        : `sha256:${sha256(JSON.stringify(element) ?? 'null')}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const name = typeof record.event === 'string' && /^[a-z_]{1,64}$/.test(record.event) ? record.event : 'unknown';
    out.push({ id, type: `sendgrid.${name}`, data: element });
  }
  return out;
}

/**
 * Maps one stored Event Webhook element (its `data` as SendGrid sent it): validated, mapped with
 * {@link mapSendGridEvent}, and an unsubscribe, group (re)subscribe or spam report reported to the
 * consent gate.
 */
export async function mapEventWebhookEvent(
  event: WebhookEvent,
  ctx: SendGridContext,
): Promise<WebhookEvent<SendGridEventData>[]> {
  const parsed = SendGridRawEvent.safeParse(event.data);
  if (!parsed.success) {
    const issues = toValidationIssues(parsed.error);
    throw new ValidationError(`event webhook event is invalid: ${formatIssues(issues)}`, { code: 'invalid_payload', issues });
  }
  const mapped = mapSendGridEvent(parsed.data, ctx.connector);
  if (mapped.data.consent) await ctx.gate.emit(mapped.data.consent);
  return [mapped];
}

/** Checks the key, the headers and the signature over the raw bytes; throws if any fails. */
function authenticate(request: WebhookRequest, ctx: SendGridContext): void {
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
}

/**
 * Verifies a SendGrid Event Webhook request and returns its events: the signature first (over the
 * raw bytes), then the JSON array, validated. Events are deduplicated by `sg_event_id` within the
 * request; `WebhookEvent.id` is that id, so the host can drop redeliveries across requests.
 * Unsubscribes, group (re)subscribes and spam reports are also reported to the consent gate.
 * (The connector's webhook stores first and maps later: see {@link eventWebhook}.)
 */
export async function verifyEventWebhook(
  request: WebhookRequest,
  ctx: SendGridContext,
): Promise<WebhookEvent<SendGridEventData>[]> {
  authenticate(request, ctx);
  const out: WebhookEvent<SendGridEventData>[] = [];
  for (const event of sendGridEnvelopes(request.rawBody)) out.push(...(await mapEventWebhookEvent(event, ctx)));
  return out;
}

/**
 * The Event Webhook on the connector contract: `verify` authenticates and returns each element as
 * received, `map` validates and maps one (`instance.webhooks.events.verify(request)` does both).
 */
export const eventWebhook: WebhookDefinition<SendGridContext> = sendGridKit.webhook({
  description: 'SendGrid Signed Event Webhook: delivery, engagement and unsubscribe events',
  async verify(request, ctx) {
    authenticate(request, ctx);
    return sendGridEnvelopes(request.rawBody);
  },
  map: mapEventWebhookEvent,
});
