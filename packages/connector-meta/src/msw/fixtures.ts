import type { WireLead } from '../leads/lead-model.js';
import type { WireAdObject, WireInsight } from '../campaigns/marketing-model.js';
import type { WirePost } from '../pages/posts-stream.js';

/** The Page, Instagram account and ad account the fixtures belong to. */
export const FIXTURE_IDS = {
  pageId: '104857600123456',
  instagramAccountId: '17841400000000001',
  adAccountId: 'act_1029384756',
  formId: '918273645500001',
  /** The Meta app (`client_id` of the token exchange). */
  appId: '1357924680135792',
} as const;

/** A Lead Ads lead in Arabic with two consent checkboxes (fields as in Meta's Lead spec). */
export function leadFixture(overrides: Partial<WireLead> = {}): WireLead {
  return {
    id: '1234567890123456',
    created_time: '2026-12-03T09:15:42+0000',
    ad_id: '23850000000000003',
    adset_id: '23850000000000002',
    campaign_id: '23850000000000001',
    form_id: FIXTURE_IDS.formId,
    is_organic: false,
    field_data: [
      { name: 'full_name', values: ['فاطمة عبدالله الزهراني'] },
      { name: 'phone_number', values: ['+966551234567'] },
      { name: 'preferred_clinic', values: ['عيادة القلب'] },
    ],
    custom_disclaimer_responses: [
      { checkbox_key: 'marketing_whatsapp', is_checked: '1' },
      { checkbox_key: 'marketing_sms', is_checked: '' },
    ],
    ...overrides,
  };
}

/** Two campaigns of the ad account (fields as in Meta's Campaign spec). */
export function campaignFixtures(): WireAdObject[] {
  return [
    {
      id: '23850000000000001',
      name: 'حملة فحص القلب — الرياض',
      status: 'ACTIVE',
      effective_status: 'ACTIVE',
      objective: 'OUTCOME_LEADS',
      start_time: '2026-11-20T00:00:00+0300',
      updated_time: '2026-12-01T08:00:00+0000',
    },
    {
      id: '23850000000000011',
      name: 'Dental check-up — Dubai',
      status: 'PAUSED',
      effective_status: 'PAUSED',
      objective: 'OUTCOME_AWARENESS',
      start_time: '2026-11-01T00:00:00+0400',
      stop_time: '2026-12-31T23:59:00+0400',
      updated_time: '2026-11-28T10:00:00+0000',
    },
  ];
}

/** Daily insights of the two campaigns over three days, in SAR (fields as in Meta's AdsInsights spec). */
export function insightsFixtures(): WireInsight[] {
  const rows: WireInsight[] = [];
  for (const [i, day] of ['2026-11-30', '2026-12-01', '2026-12-02'].entries()) {
    rows.push({
      campaign_id: '23850000000000001',
      account_currency: 'SAR',
      spend: (150.25 + i * 10).toFixed(2),
      impressions: String(12000 + i * 500),
      clicks: String(340 + i * 7),
      reach: String(9000 + i * 300),
      actions: [
        { action_type: 'link_click', value: String(340 + i * 7) },
        { action_type: 'lead', value: String(12 + i) },
      ],
      cost_per_action_type: [{ action_type: 'lead', value: ((150.25 + i * 10) / (12 + i)).toFixed(6) }],
      date_start: day,
      date_stop: day,
    });
    rows.push({
      campaign_id: '23850000000000011',
      account_currency: 'SAR',
      spend: '0.00',
      impressions: '0',
      clicks: '0',
      reach: '0',
      date_start: day,
      date_stop: day,
    });
  }
  return rows;
}

/** Page posts with engagement summaries (fields as in Meta's PagePost spec). */
export function postFixtures(): WirePost[] {
  return [
    {
      id: `${FIXTURE_IDS.pageId}_900000000000001`,
      message: 'يوم التوعية بمرض السكري: فحص مجاني للسكر في جميع فروعنا هذا الأسبوع.',
      created_time: '2026-11-14T07:00:00+0000',
      permalink_url: 'https://www.facebook.com/104857600123456/posts/900000000000001',
      is_published: true,
      shares: { count: 41 },
      reactions: { summary: { total_count: 512 } },
      comments: { summary: { total_count: 37 } },
    },
    {
      id: `${FIXTURE_IDS.pageId}_900000000000002`,
      message: 'Our new paediatric wing opens on Sunday.',
      created_time: '2026-11-20T09:30:00+0000',
      permalink_url: 'https://www.facebook.com/104857600123456/posts/900000000000002',
      is_published: true,
      reactions: { summary: { total_count: 88 } },
      comments: { summary: { total_count: 4 } },
    },
  ];
}

/** A comment on a post, in Arabic, about a health matter. */
export function commentFixture(postId = postFixtures()[0]!.id) {
  return {
    id: `${postId.split('_')[1]}_700000000000001`,
    message: 'عندي ألم في الصدر من أسبوع، هل أحتاج موعدًا عاجلًا؟',
    created_time: '2026-11-14T08:12:00+0000',
    from: { id: '6500000000000001', name: 'Commenter Name' },
  };
}

/** Daily Page insights (fields as in Meta's InsightsResult / InsightsValue specs). */
export function pageInsightsFixture() {
  const day = (value: number, end: string) => ({ value, end_time: `${end}T08:00:00+0000` });
  return [
    {
      id: `${FIXTURE_IDS.pageId}/insights/page_impressions/day`,
      name: 'page_impressions',
      period: 'day',
      title: 'Daily Total Impressions',
      values: [day(5400, '2026-12-01'), day(6100, '2026-12-02')],
    },
    {
      id: `${FIXTURE_IDS.pageId}/insights/page_impressions_unique/day`,
      name: 'page_impressions_unique',
      period: 'day',
      title: 'Daily Total Reach',
      values: [day(3900, '2026-12-01'), day(4200, '2026-12-02')],
    },
    {
      id: `${FIXTURE_IDS.pageId}/insights/page_post_engagements/day`,
      name: 'page_post_engagements',
      period: 'day',
      title: 'Daily Post Engagements',
      values: [day(310, '2026-12-01'), day(275, '2026-12-02')],
    },
  ];
}
