// Two kinds of schema: the API's wire shapes (snake_case, validated on every response before use)
// and the records the connector hands to hosts (camelCase, with PHI marked for the redactor).
import { phi } from '@hmi/core';
import { IsoDateTime } from '@hmi/core/schemas';
import { z } from 'zod';

/** Survey kinds the service runs. */
export const SurveyKind = z.enum(['post-visit', 'nps']);
/** A survey language. */
export const SurveyLanguage = z.enum(['ar', 'en']);

/** An invitation as the API returns it. */
export const WireInvitation = z.object({
  id: z.string().regex(/^inv_[A-Za-z0-9]+$/),
  status: z.enum(['scheduled', 'sent', 'completed', 'expired']),
  channel: z.enum(['sms', 'email']),
  language: SurveyLanguage,
  survey: SurveyKind,
  contact_ref: z.string(),
  appointment_ref: z.string().nullable(),
  created_at: z.string(),
  expires_at: z.string(),
});
/** An invitation as the API returns it. */
export type WireInvitation = z.infer<typeof WireInvitation>;

/** A survey response as the API returns it. */
export const WireResponse = z.object({
  id: z.string().regex(/^rsp_[A-Za-z0-9]+$/),
  invitation_id: z.string(),
  contact_ref: z.string(),
  survey: SurveyKind,
  score: z.number().int().min(0).max(10),
  comment: z.string().nullable(),
  language: SurveyLanguage,
  submitted_at: z.string(),
});
/** A survey response as the API returns it. */
export type WireResponse = z.infer<typeof WireResponse>;

/** A page of `GET /v1/responses`: `next_cursor` is the position after the page's last response. */
export const WireResponsePage = z.object({
  data: z.array(WireResponse),
  next_cursor: z.string().nullable(),
  has_more: z.boolean(),
});

/** The `response.submitted` webhook body. */
export const WireWebhookEvent = z.object({
  id: z.string().regex(/^evt_[A-Za-z0-9]+$/),
  type: z.literal('response.submitted'),
  created_at: z.string(),
  data: WireResponse,
});

/** A survey invitation, as the connector returns it. */
export const SurveyInvitation = z.object({
  id: z.string(),
  status: z.enum(['scheduled', 'sent', 'completed', 'expired']),
  channel: z.enum(['sms', 'email']),
  language: SurveyLanguage,
  survey: SurveyKind,
  /** The CRM contact the invitation is for. */
  contactId: z.string(),
  appointmentId: z.string().optional(),
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime,
});
/** A survey invitation. */
export type SurveyInvitation = z.infer<typeof SurveyInvitation>;

/** A patient's answer to a survey. The free-text comment is patient data. */
export const SurveyResponse = z.object({
  id: z.string(),
  invitationId: z.string(),
  contactId: z.string(),
  survey: SurveyKind,
  /** 0–10 (for NPS: 9–10 promoters, 0–6 detractors). */
  score: z.number().int().min(0).max(10),
  comment: phi(z.string()).optional(),
  language: SurveyLanguage,
  submittedAt: IsoDateTime,
});
/** A patient's answer to a survey. */
export type SurveyResponse = z.infer<typeof SurveyResponse>;

/** Maps the wire invitation to the connector's record. */
export function toInvitation(wire: WireInvitation): SurveyInvitation {
  return {
    id: wire.id,
    status: wire.status,
    channel: wire.channel,
    language: wire.language,
    survey: wire.survey,
    contactId: wire.contact_ref,
    ...(wire.appointment_ref !== null && { appointmentId: wire.appointment_ref }),
    createdAt: wire.created_at,
    expiresAt: wire.expires_at,
  };
}

/** Maps the wire response to the connector's record. */
export function toSurveyResponse(wire: WireResponse): SurveyResponse {
  return {
    id: wire.id,
    invitationId: wire.invitation_id,
    contactId: wire.contact_ref,
    survey: wire.survey,
    score: wire.score,
    ...(wire.comment !== null && { comment: wire.comment }),
    language: wire.language,
    submittedAt: wire.submitted_at,
  };
}
