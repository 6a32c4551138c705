/** Pages of the fictional hospital site the fake's data covers (Arabic and English). */
export const FIXTURE_PAGES = [
  { pagePath: '/ar/cardiology', pageTitle: 'أمراض القلب' },
  { pagePath: '/en/campaigns/ramadan-checkup', pageTitle: 'Ramadan check-up' },
  { pagePath: '/en/doctors', pageTitle: 'Our doctors' },
  { pagePath: '/ar/book-appointment', pageTitle: 'حجز موعد' },
] as const;

/** Traffic sources: source, medium, campaign. */
export const FIXTURE_SOURCES = [
  { sessionSource: 'google', sessionMedium: 'organic', sessionCampaignName: '(organic)' },
  { sessionSource: 'instagram', sessionMedium: 'paid_social', sessionCampaignName: 'ramadan_checkup_2026' },
  { sessionSource: '(direct)', sessionMedium: '(none)', sessionCampaignName: '(direct)' },
  { sessionSource: 'whatsapp', sessionMedium: 'referral', sessionCampaignName: '(referral)' },
] as const;

/** Countries of the fixture visitors. */
export const FIXTURE_COUNTRIES = ['Saudi Arabia', 'United Arab Emirates', 'Egypt'] as const;
/** Device categories of the fixture visitors. */
export const FIXTURE_DEVICES = ['mobile', 'desktop'] as const;

/** The dimensions the fake knows. */
export const FAKE_DIMENSIONS = [
  'date',
  'pagePath',
  'pageTitle',
  'sessionSource',
  'sessionMedium',
  'sessionCampaignName',
  'country',
  'deviceCategory',
] as const;
/** The metrics the fake knows (all integers). */
export const FAKE_METRICS = ['activeUsers', 'newUsers', 'sessions', 'screenPageViews', 'eventCount', 'conversions'] as const;

/** One base row of the fake's data: a day × page × source × country × device. */
export type FakeGa4Row = Record<(typeof FAKE_DIMENSIONS)[number], string> & Record<(typeof FAKE_METRICS)[number], number>;

// A small deterministic hash, so every run (and every page of a paged read) sees the same figures.
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * The fake's base rows for one day (`YYYY-MM-DD`): 96 rows whose figures are a deterministic
 * function of the day and dimensions. Fresh objects per call.
 */
export function ga4RowsForDay(date: string): FakeGa4Row[] {
  const rows: FakeGa4Row[] = [];
  for (const page of FIXTURE_PAGES)
    for (const source of FIXTURE_SOURCES)
      for (const country of FIXTURE_COUNTRIES)
        for (const deviceCategory of FIXTURE_DEVICES) {
          const h = hash(`${date}|${page.pagePath}|${source.sessionSource}|${country}|${deviceCategory}`);
          const activeUsers = 1 + (h % 40);
          rows.push({
            date: date.replaceAll('-', ''),
            ...page,
            ...source,
            country,
            deviceCategory,
            activeUsers,
            newUsers: Math.floor(activeUsers / 3),
            sessions: activeUsers + (h % 7),
            screenPageViews: activeUsers * 2 + (h % 11),
            eventCount: activeUsers * 5 + (h % 13),
            conversions: h % 3,
          });
        }
  return rows;
}

/** A service account key as Google issues it (JSON file), for the fake and tests. */
export interface FakeServiceAccount {
  client_email: string;
  private_key: string;
  private_key_id: string;
  /** The public key (SPKI PEM) the fake token endpoint verifies assertions with. */
  publicKeyPem: string;
}
