/**
 * Hand-written X API fixtures (fictional hospital account and patients), in the shapes of X's
 * published OpenAPI description (`Post`, `PostPublicMetrics`, `User`): Arabic and English posts,
 * Gulf and Egyptian numbers. A fresh copy on every call, so tests never share mutable state.
 */

/** A post as the fake stores and returns it. */
export interface FakeXPost {
  id: string;
  text: string;
  author_id: string;
  created_at: string;
  lang?: string;
  conversation_id?: string;
  public_metrics?: {
    repost_count: number;
    reply_count: number;
    like_count: number;
    quote_count: number;
    bookmark_count: number;
    impression_count: number;
  };
}

/** A user as the fake returns it. */
export interface FakeXUser {
  id: string;
  name: string;
  username: string;
}

/** The hospital's account. */
export function xAccountFixture(): FakeXUser {
  return { id: '1500000000000000001', name: 'مستشفى الشفاء التخصصي', username: 'ShifaHospital' };
}

/** Users who mention the hospital. */
export function xMentionAuthorsFixture(): FakeXUser[] {
  return [
    { id: '1600000000000000011', name: 'أم عبدالله', username: 'um_abdullah_77' },
    { id: '1600000000000000012', name: 'Omar K.', username: 'omar_k_cairo' },
  ];
}

const metrics = (impressions: number, likes: number, reposts: number, replies: number) => ({
  repost_count: reposts,
  reply_count: replies,
  like_count: likes,
  quote_count: Math.floor(reposts / 3),
  bookmark_count: Math.floor(likes / 10),
  impression_count: impressions,
});

/** The account's posts, newest first (X's order). */
export function xPostsFixture(): FakeXPost[] {
  const author_id = xAccountFixture().id;
  return [
    {
      id: '1800000000000000005',
      text: 'حملة التوعية بسرطان الثدي: فحص الماموجرام مجاني طوال شهر أكتوبر في جميع فروعنا. #أكتوبر_الوردي',
      author_id,
      created_at: '2025-10-01T07:00:00.000Z',
      lang: 'ar',
      public_metrics: metrics(48210, 1320, 410, 57),
    },
    {
      id: '1800000000000000004',
      text: 'Our new cardiac catheterisation lab in Riyadh is now open 24/7.',
      author_id,
      created_at: '2025-09-22T09:30:00.000Z',
      lang: 'en',
      public_metrics: metrics(12040, 388, 92, 14),
    },
    {
      id: '1800000000000000003',
      text: 'مواعيد العيادات خلال إجازة اليوم الوطني 🇸🇦: العيادات الخارجية مغلقة والطوارئ تعمل على مدار الساعة.',
      author_id,
      created_at: '2025-09-21T06:00:00.000Z',
      lang: 'ar',
      public_metrics: metrics(30500, 640, 210, 33),
    },
    {
      id: '1800000000000000002',
      text: 'Flu vaccines are available at all branches. Book through our app.',
      author_id,
      created_at: '2025-09-10T08:00:00.000Z',
      lang: 'en',
      public_metrics: metrics(8050, 150, 40, 6),
    },
    {
      id: '1800000000000000001',
      text: 'نرحب بالدكتورة سارة القحطاني استشارية طب الأطفال في فرع جدة.',
      author_id,
      created_at: '2025-09-01T10:00:00.000Z',
      lang: 'ar',
      public_metrics: metrics(5020, 210, 18, 9),
    },
  ];
}

/** Mentions of the account, newest first. The texts are what patients write in public. */
export function xMentionsFixture(): FakeXPost[] {
  const [umAbdullah, omar] = xMentionAuthorsFixture();
  return [
    {
      id: '1810000000000000003',
      text: '@ShifaHospital ابني عنده حرارة من يومين ورقم ملفه ٧٧٤٢١٠، متى أقدر أحجز موعد؟',
      author_id: umAbdullah!.id,
      created_at: '2025-10-02T18:20:00.000Z',
      lang: 'ar',
      conversation_id: '1810000000000000003',
    },
    {
      id: '1810000000000000002',
      text: '@ShifaHospital thanks to the ER team last night, great care!',
      author_id: omar!.id,
      created_at: '2025-10-01T22:05:00.000Z',
      lang: 'en',
      conversation_id: '1810000000000000002',
    },
    {
      id: '1810000000000000001',
      text: '@ShifaHospital هل يوجد موقف سيارات في فرع جدة؟',
      author_id: umAbdullah!.id,
      created_at: '2025-09-30T12:00:00.000Z',
      lang: 'ar',
      conversation_id: '1810000000000000001',
    },
  ];
}
