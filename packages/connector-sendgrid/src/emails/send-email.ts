import { randomUUID } from 'node:crypto';
import { type ActionCall, ConsentError, HmiError, isHmiError, type Message } from '@hmi/core';
import type { SendGridContext } from '../sendgrid-context.js';
import { assertSendable, buildMailBody, chunk, type ResolvedRecipient, resolveRecipients } from './mail-body.js';
import { MAX_PERSONALIZATIONS, type SendEmailBatch, type SendEmailParsed, type SendEmailResult } from './mail-schemas.js';

const MESSAGE_ID = /^[A-Za-z0-9_-]{1,200}$/;

/**
 * Thrown when a send split into several requests failed part-way: the batches in `accepted` were
 * taken by SendGrid (do not send them again), the rest were not sent. The cause is the failing
 * request's error. Carries indexes and message ids, never addresses.
 */
export class SendGridPartialSendError extends HmiError {
  /** Requests SendGrid accepted before the failure. */
  readonly accepted: SendEmailBatch[];
  /** Positions (in the caller's `to` list) of the recipients SendGrid accepted; everyone else was not sent. */
  readonly acceptedIndexes: number[];
  constructor(accepted: SendEmailBatch[], acceptedIndexes: number[], cause: HmiError) {
    super(
      `sendEmail failed part-way: ${acceptedIndexes.length} recipients were accepted, the rest were not sent (${cause.code})`,
      { code: 'partial_send', retryable: false, status: cause.status, requestId: cause.requestId, cause },
    );
    this.name = 'SendGridPartialSendError';
    this.accepted = accepted;
    this.acceptedIndexes = acceptedIndexes;
  }
  /** True for a SendGridPartialSendError (by code and shape, so it holds across installs). */
  static override isInstance(error: unknown): error is SendGridPartialSendError {
    return (
      isHmiError(error) && error.code === 'partial_send' && Array.isArray((error as SendGridPartialSendError).acceptedIndexes)
    );
  }
  override toJSON() {
    return { ...super.toJSON(), accepted: this.accepted, acceptedIndexes: this.acceptedIndexes };
  }
}

/** Asks the consent gate about every recipient before anything is sent; the first refusal stops the send. */
async function assertConsent(input: SendEmailParsed, recipients: ResolvedRecipient[], ctx: SendGridContext): Promise<void> {
  if (input.purpose !== 'marketing') return;
  const now = ctx.now();
  for (const [index, r] of recipients.entries()) {
    try {
      await ctx.gate.assertAllowed({ recipient: r.email, channel: 'email', purpose: input.purpose, contactId: r.contactId }, now);
    } catch (error) {
      if (!ConsentError.isInstance(error) || recipients.length === 1) throw error;
      // Name the recipient by position only: the address is patient data.
      throw new ConsentError(`${error.message} (recipient to.${index}); nothing was sent`, {
        reason: error.reason,
        retryable: error.retryable,
        cause: error,
      });
    }
  }
}

/**
 * Everything that must hold before the first request: the input is sendable and, for marketing,
 * every recipient passed the consent gate. Returns the recipients to deliver to.
 */
export async function prepareSend(input: SendEmailParsed, ctx: SendGridContext): Promise<ResolvedRecipient[]> {
  const recipients = resolveRecipients(input);
  assertSendable(input, recipients);
  await assertConsent(input, recipients, ctx);
  return recipients;
}

/**
 * Delivers a prepared send: one mail/send request per 1000 recipients. SendGrid has no idempotency
 * keys, so the core repeats a request only after a 429 (flagged `notProcessed`: SendGrid accepted
 * nothing); after a timeout or 5xx the email may have gone, and the error comes back with
 * `retryable: false` and `outcomeUnknown: true`. A failure after the first request is a
 * {@link SendGridPartialSendError}.
 */
export async function deliverSend(
  input: SendEmailParsed,
  recipients: ResolvedRecipient[],
  ctx: SendGridContext,
  call: Pick<ActionCall, 'signal'>,
  sendId: string,
): Promise<SendEmailResult> {
  const createdAt = ctx.now().toISOString();
  const batches: SendEmailBatch[] = [];
  const messages: Message[] = [];
  let firstIndex = 0;
  for (const slice of chunk(recipients, MAX_PERSONALIZATIONS)) {
    let messageId: string;
    try {
      const response = await ctx.http.requestRaw({
        method: 'POST',
        path: '/v3/mail/send',
        json: buildMailBody(input, slice, ctx.from, sendId),
        operation: 'sendEmail',
        responseType: 'text',
        ...(call.signal && { signal: call.signal }),
      });
      const header = response.headers.get('x-message-id') ?? '';
      // The email was accepted even if the header is missing: never fail (and invite a resend) for that.
      messageId = MESSAGE_ID.test(header) ? header : `hmi-${sendId}-${batches.length}`;
    } catch (error) {
      if (batches.length === 0 || !isHmiError(error)) throw error;
      throw new SendGridPartialSendError(
        batches,
        Array.from({ length: firstIndex }, (_, i) => i),
        error,
      );
    }
    batches.push({ messageId, firstIndex, recipients: slice.length });
    for (const r of slice) {
      messages.push({
        id: messageId,
        source: { system: ctx.connector, id: messageId },
        channel: 'email',
        direction: 'outbound',
        purpose: input.purpose,
        to: r.email,
        from: ctx.from.email,
        subject: input.subject,
        status: 'accepted',
        ...(r.contactId !== undefined && { contactId: r.contactId }),
        createdAt,
      });
    }
    firstIndex += slice.length;
  }
  return { messages, batches, sendId };
}

/** The `sendEmail` action: validate, consent, deliver. */
export async function runSendEmail(input: SendEmailParsed, ctx: SendGridContext, call: ActionCall): Promise<SendEmailResult> {
  const recipients = await prepareSend(input, ctx);
  // The core generates a key per logical call; SendGrid cannot use it, but the events can carry it.
  return deliverSend(input, recipients, ctx, call, call.idempotencyKey ?? randomUUID());
}
