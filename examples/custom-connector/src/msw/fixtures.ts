import type { WireInvitation, WireResponse } from '../survey-model.js';

/**
 * Hand-written survey responses (fictional patients): Arabic and English comments, scores across
 * the NPS range. A fresh copy on every call, so tests never share mutable state.
 */
export function surveyResponseFixtures(): WireResponse[] {
  return [
    {
      id: 'rsp_1001',
      invitation_id: 'inv_9001',
      contact_ref: 'crm-contact-17',
      survey: 'post-visit',
      score: 10,
      comment: 'الطاقم كان متعاوناً جداً والانتظار قصير. شكراً لعيادة الأسنان.',
      language: 'ar',
      submitted_at: '2025-03-01T09:15:00Z',
    },
    {
      id: 'rsp_1002',
      invitation_id: 'inv_9002',
      contact_ref: 'crm-contact-42',
      survey: 'nps',
      score: 6,
      comment: 'Parking was hard to find; the doctor was excellent.',
      language: 'en',
      submitted_at: '2025-03-01T11:40:00Z',
    },
    {
      id: 'rsp_1003',
      invitation_id: 'inv_9003',
      contact_ref: 'crm-contact-58',
      survey: 'post-visit',
      score: 8,
      comment: null,
      language: 'ar',
      submitted_at: '2025-03-02T07:05:00Z',
    },
  ];
}

/** An invitation as the API would return it, with overrides. */
export function invitationFixture(overrides: Partial<WireInvitation> = {}): WireInvitation {
  return {
    id: 'inv_9001',
    status: 'scheduled',
    channel: 'sms',
    language: 'ar',
    survey: 'post-visit',
    contact_ref: 'crm-contact-17',
    appointment_ref: null,
    created_at: '2025-03-01T08:00:00Z',
    expires_at: '2025-03-08T08:00:00Z',
    ...overrides,
  };
}
