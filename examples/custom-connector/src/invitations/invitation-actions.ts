import { action, phi } from '@hmi/core';
import { z } from 'zod';
import type { SurveyContext } from '../survey-context.js';
import { SurveyInvitation, SurveyKind, SurveyLanguage, toInvitation, WireInvitation } from '../survey-model.js';

const E164 = /^\+[1-9]\d{7,14}$/;

/** Input of `sendSurvey`. */
export const SendSurveyInput = z
  .object({
    /** The CRM contact; the survey service stores it as an opaque reference. */
    contactId: z.string().min(1).max(128),
    channel: z.enum(['sms', 'email']),
    /** An E.164 number for `sms`, an address for `email`. Patient data: marked for the redactor. */
    recipient: phi(z.string().min(3).max(254)),
    language: SurveyLanguage,
    survey: SurveyKind.default('post-visit'),
    /** The visit the survey is about. */
    appointmentId: z.string().min(1).max(128).optional(),
  })
  .superRefine((input, ctx) => {
    // Validate before any request: a bad recipient must never reach the vendor.
    const ok = input.channel === 'sms' ? E164.test(input.recipient) : z.email().safeParse(input.recipient).success;
    if (!ok) ctx.addIssue({ code: 'custom', path: ['recipient'], message: `not a valid ${input.channel} recipient` });
  });

/**
 * Invites a patient to a survey (`POST /v1/invitations`). Not idempotent by nature, so it always
 * carries an Idempotency-Key: the caller's, or the one the instance generates per call. The core
 * then retries 5xx and timeouts safely, reusing the key; the service answers a repeated key with
 * the first invitation.
 */
export const sendSurvey = action({
  description: 'Invite a patient to a satisfaction survey by SMS or email',
  idempotent: false,
  input: SendSurveyInput,
  output: SurveyInvitation,
  async run(input, ctx: SurveyContext, call) {
    const invitation = await ctx.http.request({
      method: 'POST',
      path: '/v1/invitations',
      json: {
        contact_ref: input.contactId,
        channel: input.channel,
        recipient: input.recipient,
        language: input.language,
        survey: input.survey,
        ...(input.appointmentId && { appointment_ref: input.appointmentId }),
      },
      ...(call.idempotencyKey && { idempotencyKey: call.idempotencyKey }),
      schema: WireInvitation,
      operation: 'sendSurvey',
      signal: call.signal,
    });
    return toInvitation(invitation);
  },
});

/** Input of `getInvitation`. */
export const GetInvitationInput = z.object({ id: z.string().regex(/^inv_[A-Za-z0-9]+$/, 'expected an invitation id') });

/** Reads one invitation (`GET /v1/invitations/{id}`), e.g. to see whether it was completed. */
export const getInvitation = action({
  description: 'Read an invitation and its status',
  idempotent: true,
  input: GetInvitationInput,
  output: SurveyInvitation,
  async run(input, ctx: SurveyContext, call) {
    const invitation = await ctx.http.request({
      path: `/v1/invitations/${encodeURIComponent(input.id)}`,
      schema: WireInvitation,
      operation: 'getInvitation',
      signal: call.signal,
    });
    return toInvitation(invitation);
  },
});
