import { createHash } from 'node:crypto';
import { connectorKit, isHmiError, ValidationError } from '@hmi/core';
import { Contact } from '@hmi/core/schemas';
import { z } from 'zod';
import { ackCode } from '../ack.js';
import type { Hl7v2Context } from '../hl7v2-context.js';
import { contactToAdt } from '../mappers/contact-to-adt.js';
import type { Hl7Message } from '../parser/message.js';
import { parseHl7 } from '../parser/parse.js';

const { action } = connectorKit<Hl7v2Context>();

/** What a send returns: the ACK code and the control ID it answered. */
export const AckResult = z.object({
  /** MSA-1 of the answer: AA accepted, AE application error, AR rejected. */
  ackCode: z.enum(['AA', 'AE', 'AR', 'CA', 'CE', 'CR']),
  /** MSH-10 of the message sent (what MSA-2 answered). */
  controlId: z.string(),
});

// MSH-10 is at most 20 characters before v2.7: a stable digest of the call's idempotency key, so
// repeating the call with the same key resends the same control ID and the receiver can drop it.
function controlIdFor(key: string | undefined): string | undefined {
  return key ? createHash('sha256').update(key).digest('hex').slice(0, 20).toUpperCase() : undefined;
}

async function deliver(ctx: Hl7v2Context, message: Hl7Message) {
  const ack = await ctx.client().send(message);
  const code = ackCode(ack);
  if (!code) throw new ValidationError('the answer is not an acknowledgement (no MSA-1)', { code: 'invalid_response' });
  return { ackCode: code, controlId: message.controlId ?? '' };
}

/** An Hl7ParseError of caller input as a ValidationError (the input, not the peer, was wrong). */
export function toValidation(error: unknown): unknown {
  if (isHmiError(error) && error.code === 'hl7_parse_error') {
    return new ValidationError(error.message, {
      code: 'hl7_parse_error',
      issues: [{ path: ['message'], code: 'hl7_parse_error', message: 'not an HL7 v2 message' }],
      cause: error,
    });
  }
  return error;
}

/**
 * Sends an HL7 v2 message over MLLP and returns the ACK code. A message without MSH-10 gets one
 * derived from the call's idempotency key, so a repeated call carries the same control ID.
 */
export const sendMessage = action({
  description: 'Sends an HL7 v2 message over MLLP and returns the ACK code',
  idempotent: false,
  input: z.object({ message: z.string().min(8) }),
  output: AckResult,
  async run(input, ctx, call) {
    let message: Hl7Message;
    try {
      message = parseHl7(input.message);
    } catch (error) {
      throw toValidation(error);
    }
    const key = controlIdFor(call.idempotencyKey);
    if (!message.controlId && key) message.set('MSH-10', key);
    return deliver(ctx, message);
  },
});

/** Sends a Contact to the EHR as ADT A28 (new person) or A31 (update). */
export const sendContact = action({
  description: 'Sends a Contact to the EHR as ADT A28 (new person) or A31 (update)',
  idempotent: false,
  input: z.object({ contact: Contact, trigger: z.enum(['A28', 'A31']).default('A31') }),
  output: AckResult,
  async run(input, ctx, call) {
    const c = ctx.config;
    const controlId = controlIdFor(call.idempotencyKey);
    const message = contactToAdt(input.contact, {
      trigger: input.trigger,
      sendingApplication: c.sendingApplication,
      version: c.version,
      ...(c.sendingFacility && { sendingFacility: c.sendingFacility }),
      ...(c.receivingApplication && { receivingApplication: c.receivingApplication }),
      ...(c.receivingFacility && { receivingFacility: c.receivingFacility }),
      ...(controlId && { controlId }),
    });
    return deliver(ctx, message);
  },
});
