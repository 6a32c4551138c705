import type { WireTemplate } from '../templates/templates-stream.js';

/** Ids the fake and its fixtures use. */
export const FIXTURE_IDS = Object.freeze({
  phoneNumberId: '106540352242922',
  businessAccountId: '102290129340398',
  /** The business number as WhatsApp displays it in webhooks. */
  displayPhoneNumber: '966920012345',
});

/**
 * Message templates as `GET /<WABA>/message_templates` lists them (Meta: "Message Templates"
 * reference; categories and statuses are checked against Meta's enum specs in the tests).
 */
export function templateFixtures(): WireTemplate[] {
  return [
    {
      id: '1024000000000001',
      name: 'appointment_reminder',
      language: 'ar',
      status: 'APPROVED',
      category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'تذكير بموعدك' },
        { type: 'BODY', text: 'مرحبًا {{1}}، نذكّرك بموعدك في {{2}} يوم {{3}}. للإلغاء اتصل بنا.' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'QUICK_REPLY', text: 'تأكيد' },
            { type: 'QUICK_REPLY', text: 'إيقاف' },
          ],
        },
      ],
    },
    {
      id: '1024000000000002',
      name: 'appointment_reminder',
      language: 'en',
      status: 'APPROVED',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Hello {{1}}, a reminder of your appointment at {{2}} on {{3}}.' }],
    },
    {
      id: '1024000000000003',
      name: 'results_ready',
      language: 'ar',
      status: 'APPROVED',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'نتائجك جاهزة. يمكنك الاطلاع عليها في تطبيق المستشفى.' }],
    },
    {
      id: '1024000000000004',
      name: 'heart_checkup_campaign',
      language: 'ar',
      status: 'APPROVED',
      category: 'MARKETING',
      components: [
        { type: 'BODY', text: 'فحص القلب المجاني هذا الشهر في {{1}}.' },
        { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'إيقاف العروض الترويجية' }] },
      ],
    },
    {
      id: '1024000000000005',
      name: 'login_code',
      language: 'en',
      status: 'APPROVED',
      category: 'AUTHENTICATION',
      components: [{ type: 'BODY', text: '{{1}} is your verification code.' }],
    },
    {
      id: '1024000000000006',
      name: 'ramadan_offer',
      language: 'ar',
      status: 'REJECTED',
      category: 'MARKETING',
      components: [{ type: 'BODY', text: 'عروض رمضان' }],
    },
  ];
}
