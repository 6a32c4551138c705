// Behaviour beyond the contract: streams (paging, since_id resume), the PHI guard and reply
// template, deletes, OAuth 2.0 refresh rotation, OAuth 1.0a, X's rate-limit headers, and every
// request and answer checked against X's published OpenAPI description.
import { AuthError, isHmiError, ValidationError } from '@hmi/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createXConnector, DEFAULT_PRIVATE_REPLY } from '../src/index.js';
import { createFakeXApi } from '../src/msw/index.js';
import {
  accessToken,
  assertCallsMatchSpec,
  baseUrl,
  clientSecret,
  fakeClock,
  oauth1,
  refreshToken,
  server,
  setupOAuth2,
} from './harness.js';

beforeAll(() => server.listen());
afterEach(() => server.reset());
afterAll(() => server.close());

const canaries = [clientSecret, refreshToken, accessToken, oauth1.consumerSecret, oauth1.tokenSecret];
const leaks = (value: unknown) => canaries.filter((c) => JSON.stringify(value).includes(c));

async function collect<T, C>(iterable: AsyncIterable<{ records: T[]; checkpoint: C }>) {
  const pages: Array<{ records: T[]; checkpoint: C }> = [];
  for await (const page of iterable) pages.push(page);
  return pages;
}

describe('posts stream', () => {
  it('pages with pagination_token, maps posts and metrics, and resumes with since_id', async () => {
    const { fake, x } = setupOAuth2({ config: { pageSize: 5 } });
    for (const [id, text] of [
      ['1800000000000000011', 'a'],
      ['1800000000000000012', 'b'],
      ['1800000000000000013', 'c'],
    ] as const) {
      fake.state.posts.unshift({ ...fake.state.posts[0]!, id, text: `post ${text}` });
    }
    const pages = await collect(x.streams.posts.read());
    expect(pages.map((p) => p.records.length)).toEqual([5, 3]);
    expect(pages[0]!.checkpoint).toMatchObject({ sinceId: null, resume: { newestId: '1800000000000000013' } });
    expect(pages[1]!.checkpoint).toEqual({ sinceId: '1800000000000000013' });
    const ramadan = pages[0]!.records.find((r) => r.post.id === '1800000000000000005')!;
    expect(ramadan.post).toMatchObject({
      platform: 'x',
      status: 'published',
      language: 'ar',
      publishedAt: '2025-10-01T07:00:00.000Z',
    });
    expect(ramadan.post.text).toContain('أكتوبر_الوردي');
    expect(ramadan.post.url).toBe('https://x.com/ShifaHospital/status/1800000000000000005');
    expect(Object.fromEntries(ramadan.metrics.map((m) => [m.metric, m.value]))).toEqual({
      likes: 1320,
      replies: 57,
      quotes: 136,
      reposts: 410,
      bookmarks: 132,
      impressions: 48210,
    });
    expect(ramadan.metrics[0]).toMatchObject({
      subjectType: 'post',
      subjectId: '1800000000000000005',
      periodEnd: '2025-10-03T08:00:00.000Z',
    });

    // A read interrupted after the first page resumes from its token, not from the newest id.
    const rest = await collect(x.streams.posts.read({ checkpoint: pages[0]!.checkpoint }));
    expect(rest.flatMap((p) => p.records.map((r) => r.post.id))).toEqual(pages[1]!.records.map((r) => r.post.id));
    expect(rest.at(-1)!.checkpoint).toEqual({ sinceId: '1800000000000000013' });

    await x.actions.createPost({ text: 'Blood donation drive on Thursday — تبرع بالدم يوم الخميس' });
    const fresh = await collect(x.streams.posts.read({ checkpoint: pages[1]!.checkpoint }));
    expect(fresh.flatMap((p) => p.records.map((r) => r.post.text))).toEqual([
      'Blood donation drive on Thursday — تبرع بالدم يوم الخميس',
    ]);
    const sinceIds = fake.state.requests.filter((r) => r.path.includes('since_id=1800000000000000013'));
    expect(sinceIds.length).toBeGreaterThan(0);
    expect(assertCallsMatchSpec(server.calls)).toBeGreaterThan(5);
  });

  it('refuses a pagination loop instead of spinning', async () => {
    const { x } = setupOAuth2({ config: { pageSize: 5 } });
    server.route({
      method: 'GET',
      path: '/2/users/:id/tweets',
      respond: { status: 200, json: { data: [{ id: '1', text: 't' }], meta: { result_count: 1, next_token: 'same' } } },
    });
    await expect(collect(x.streams.posts.read())).rejects.toMatchObject({ code: 'validation_error' });
  });
});

describe('mentions stream', () => {
  it('maps mentions to inbound social messages with the author handle', async () => {
    const { fake, x } = setupOAuth2();
    const pages = await collect(x.streams.mentions.read());
    const messages = pages.flatMap((p) => p.records);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatchObject({
      id: '1810000000000000003',
      channel: 'social',
      direction: 'inbound',
      status: 'received',
      from: '@um_abdullah_77',
      to: '@ShifaHospital',
      createdAt: '2025-10-02T18:20:00.000Z',
    });
    expect(messages[0]!.body).toContain('رقم ملفه');
    fake.state.mention('@ShifaHospital شكراً لقسم الأطفال', 1);
    const next = await collect(x.streams.mentions.read({ checkpoint: pages.at(-1)!.checkpoint }));
    expect(next.flatMap((p) => p.records.map((m) => m.from))).toEqual(['@omar_k_cairo']);
    assertCallsMatchSpec(server.calls);
  });
});

describe('createPost and deletePost', () => {
  it('posts text with reply settings, in the shape X documents', async () => {
    const { fake, x } = setupOAuth2();
    const post = await x.actions.createPost({
      text: 'Free screening this week: فحص مجاني هذا الأسبوع',
      replySettings: 'following',
    });
    expect(post).toMatchObject({ platform: 'x', status: 'published', text: 'Free screening this week: فحص مجاني هذا الأسبوع' });
    expect(fake.state.requests.find((r) => r.method === 'POST')!.body).toEqual({
      text: 'Free screening this week: فحص مجاني هذا الأسبوع',
      reply_settings: 'following',
    });
    assertCallsMatchSpec(server.calls);
  });

  it('replies with the private template by default, whatever the text says', async () => {
    const { fake, x } = setupOAuth2();
    await x.actions.createPost({ replyToPostId: '1810000000000000003', text: 'Your son should take paracetamol' });
    const sent = fake.state.requests.find((r) => r.method === 'POST')!.body as { text: string; reply: unknown };
    expect(sent.text).toBe(`${DEFAULT_PRIVATE_REPLY.ar}\n\n${DEFAULT_PRIVATE_REPLY.en}`);
    expect(sent.reply).toEqual({ in_reply_to_tweet_id: '1810000000000000003' });
    await x.actions.createPost({
      replyToPostId: '1810000000000000001',
      language: 'en',
      replyMode: 'free-text',
      text: 'Yes, free parking at the Jeddah branch.',
    });
    expect((fake.state.requests.filter((r) => r.method === 'POST')[1]!.body as { text: string }).text).toBe(
      'Yes, free parking at the Jeddah branch.',
    );
    assertCallsMatchSpec(server.calls);
  });

  it('refuses text with the patient’s name, phone or MRN before any request', async () => {
    const { fake, x } = setupOAuth2();
    const knownPatient = { names: ['فاطمة الزهراني'], phones: ['+966555123456'], mrns: ['MRN-774210'] };
    const texts = [
      'نتمنى الشفاء العاجل لفاطمة الزهراني', // the name behind a fused preposition
      'نرحب بالدكتورة فاطمة في فرع جدة', // one part of the name alone is not refused (use `avoid`)
      'أ. فاطمه الزهراني، نرجو التواصل',
      'call us back on ٠٥٥٥١٢٣٤٥٦',
      'رقم الملف 774210',
    ];
    const outcomes = [];
    for (const text of texts) {
      outcomes.push(
        await x.actions.createPost({ text, replyToPostId: '1810000000000000003', replyMode: 'free-text', knownPatient }).then(
          () => 'sent',
          (error: unknown) => (ValidationError.isInstance(error) ? error.issues.map((i) => i.code).join() : 'other'),
        ),
      );
    }
    expect(outcomes).toEqual(['phi_name', 'sent', 'phi_name', 'phi_phone', 'phi_mrn']);
    const posts = fake.state.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    const error = await x.actions
      .createPost({
        text: 'Fatima, call 0555 123 456',
        replyToPostId: '1810000000000000003',
        replyMode: 'free-text',
        knownPatient,
      })
      .then(
        () => undefined,
        (e: unknown) => e as ValidationError,
      );
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(error!.message).not.toContain('0555');
    expect(JSON.stringify(error)).not.toContain('555123456');
  });

  it('refuses the patient’s phone in every format, the name and the MRN, in posts and replies, with zero requests', async () => {
    const { fake, x } = setupOAuth2({ config: { userId: '1500000000000000001' } });
    const knownPatient = { names: ['Fatima Al-Zahrani', 'فاطمة الزهراني'], phones: ['0555123456'], mrns: ['MRN-774210'] };
    const texts = [
      'call +966555123456',
      'call +966 55 512 3456',
      'call 00966555123456',
      'اتصلي على 0555123456',
      'اتصلي على ٠٥٥٥١٢٣٤٥٦',
      'اتصلي على ٠٥٥ ٥١٢ ٣٤٥٦',
      'Fatima Al-Zahrani, please DM us',
      'سلامتك يا فاطمه الزهراني',
      'your file 774210 is ready',
    ];
    for (const text of texts) {
      for (const reply of [{}, { replyToPostId: '1810000000000000003', replyMode: 'free-text' as const }]) {
        const error = await x.actions.createPost({ text, knownPatient, ...reply }).catch((e: unknown) => e);
        expect(ValidationError.isInstance(error), text).toBe(true);
        expect(JSON.stringify(error)).not.toMatch(/555123456|Fatima|فاطم|774210/);
      }
    }
    expect(fake.state.requests).toHaveLength(0);
  });

  it('maps duplicate content to a ValidationError without X’s text', async () => {
    const { x } = setupOAuth2();
    const text = 'Flu vaccines are available at all branches. Book through our app.';
    const error = await x.actions.createPost({ text }).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).code).toBe('duplicate_content');
    expect((error as Error).message).not.toContain('Flu');
  });

  it('deletes a post; deleting it again reports notFound', async () => {
    const { fake, x } = setupOAuth2();
    expect(await x.actions.deletePost({ id: '1800000000000000001' })).toEqual({ id: '1800000000000000001', deleted: true });
    expect(fake.state.posts.some((p) => p.id === '1800000000000000001')).toBe(false);
    expect(await x.actions.deletePost({ id: '1800000000000000001' })).toEqual({
      id: '1800000000000000001',
      deleted: false,
      notFound: true,
    });
    assertCallsMatchSpec(server.calls);
  });

  it('an unknown create outcome is reconciled from the timeline, never re-sent', async () => {
    const { fake, x } = setupOAuth2({ config: { userId: '1500000000000000001' } });
    // The post is stored, but the answer is lost (the fake answers 503 after storing).
    server.route({
      method: 'POST',
      path: '/2/tweets',
      respond: { status: 503, json: { title: 'Service Unavailable', type: 'about:blank', detail: 'Service Unavailable' } },
    });
    fake.state.posts.unshift({
      ...fake.state.posts[0]!,
      id: '1900000000000000999',
      text: 'Clinic hours changed',
      created_at: '2025-10-03T08:00:00.000Z',
    });
    const post = await x.actions.createPost({ text: 'Clinic hours changed' });
    expect(post.id).toBe('1900000000000000999');
    expect(server.calls.filter((c) => c.method === 'POST' && c.path === '/2/tweets')).toHaveLength(1);

    fake.state.posts.shift();
    const error = await x.actions.createPost({ text: 'Clinic hours changed' }).catch((e: unknown) => e);
    expect(isHmiError(error) && error.outcomeUnknown).toBe(true);
    expect(server.calls.filter((c) => c.method === 'POST' && c.path === '/2/tweets')).toHaveLength(2);
  });
});

describe('OAuth 2.0 user tokens', () => {
  it('refreshes on first use, rotates the refresh token, and shares one refresh between concurrent calls', async () => {
    const { fake, x, rotated, events } = setupOAuth2({ withAccessToken: false });
    await Promise.all([x.actions.deletePost({ id: '1800000000000000001' }), x.actions.deletePost({ id: '1800000000000000002' })]);
    expect(fake.state.refreshes).toBe(1);
    expect(rotated).toEqual([fake.state.refreshToken]);
    expect(rotated[0]).not.toBe(refreshToken);
    expect(leaks(events)).toEqual([]);
  });

  it('on a 401 refreshes once and replays; the old refresh token is void afterwards', async () => {
    const { fake, x, rotated } = setupOAuth2();
    fake.state.accessTokens.clear(); // X revoked the access token
    await x.actions.deletePost({ id: '1800000000000000001' });
    expect(fake.state.refreshes).toBe(1);
    fake.state.accessTokens.clear();
    await x.actions.deletePost({ id: '1800000000000000002' });
    // The second refresh used the rotated token (the fake accepts only the newest one).
    expect(fake.state.refreshes).toBe(2);
    expect(rotated).toHaveLength(2);
  });

  it('refreshes before expiry using the injected clock', async () => {
    const { fake, x, time } = setupOAuth2({ withAccessToken: false, fake: { accessTokenLifetimeSec: 600 } });
    await x.actions.deletePost({ id: '1800000000000000001' });
    time.clock.t += 590_000; // within the 30 s refresh margin
    await x.actions.deletePost({ id: '1800000000000000002' });
    expect(fake.state.refreshes).toBe(2);
  });

  it('a token endpoint 503 is not retried: a rotated refresh token is never spent twice', async () => {
    const { fake, x } = setupOAuth2({ withAccessToken: false });
    server.route({ method: 'POST', path: '/2/oauth2/token', respond: { status: 503, json: { error: 'unavailable' } } });
    const error = await x.actions.deletePost({ id: '1800000000000000001' }).catch((e: unknown) => e);
    expect(AuthError.isInstance(error) && error.retryable).toBe(false);
    expect(server.calls.filter((c) => c.path === '/2/oauth2/token')).toHaveLength(1);
    expect(fake.state.requests).toHaveLength(0);
  });

  it('a refused refresh is an AuthError that carries no credential', async () => {
    const { fake, x, events } = setupOAuth2({ withAccessToken: false });
    fake.state.refreshToken = 'someone-else-used-it';
    const error = await x.actions.deletePost({ id: '1800000000000000001' }).catch((e: unknown) => e);
    expect(AuthError.isInstance(error)).toBe(true);
    expect(leaks([String(error), (error as Error).stack, error, events])).toEqual([]);
  });
});

describe('OAuth 1.0a user context', () => {
  it('signs every attempt (fresh nonce) and the fake verifies the HMAC-SHA1 signature', async () => {
    const time = fakeClock();
    const fake = createFakeXApi({ baseUrl, now: time.now, oauth1 });
    server.use(...fake.handlers);
    const x = createXConnector({
      auth: {
        type: 'oauth1-user',
        consumerKey: oauth1.consumerKey,
        consumerSecret: oauth1.consumerSecret,
        accessToken: oauth1.token,
        accessTokenSecret: oauth1.tokenSecret,
      },
      baseUrl,
      now: time.now,
    });
    fake.state.failNext(503);
    const pages = await collect(x.streams.posts.read());
    expect(pages.flatMap((p) => p.records)).toHaveLength(5);
    const nonces = fake.state.requests.map((r) => /oauth_nonce="([^"]+)"/.exec(r.authorization ?? '')?.[1]);
    expect(new Set(nonces).size).toBe(nonces.length);
    expect(fake.state.requests.length).toBeGreaterThanOrEqual(3); // users/me, 503, retry
    assertCallsMatchSpec(server.calls);

    // Writes are signed too (a JSON body is not part of the signature).
    const post = await x.actions.createPost({ text: 'OAuth 1.0a post — منشور موقّع' });
    expect(await x.actions.deletePost({ id: post.id })).toEqual({ id: post.id, deleted: true });
    expect(fake.state.requests.filter((r) => r.method !== 'GET').every((r) => r.authorization?.startsWith('OAuth '))).toBe(true);
    assertCallsMatchSpec(server.calls);

    const wrong = createXConnector({
      auth: {
        type: 'oauth1-user',
        consumerKey: oauth1.consumerKey,
        consumerSecret: 'not-the-secret',
        accessToken: oauth1.token,
        accessTokenSecret: oauth1.tokenSecret,
      },
      baseUrl,
      userId: '1500000000000000001',
    });
    const error = await collect(wrong.streams.posts.read()).catch((e: unknown) => e);
    expect(AuthError.isInstance(error)).toBe(true);
    expect(leaks([String(error), error])).toEqual([]);
  });
});

describe('rate limits', () => {
  it('waits for x-rate-limit-reset once remaining is 0, instead of spending a request on a 429', async () => {
    const { fake, x, time, events } = setupOAuth2({ config: { userId: '1500000000000000001' } });
    const reset = Math.floor(time.clock.t / 1000) + 120;
    fake.state.setRateLimit('posts', 1, reset);
    await collect(x.streams.posts.read());
    expect(x).toBeDefined();
    fake.state.setRateLimit('posts', 5, reset + 900);
    await collect(x.streams.posts.read());
    expect(time.clock.sleeps).toEqual([120_000]);
    expect(server.calls.filter((c) => c.response?.status === 429)).toHaveLength(0);
    expect(events.some((e) => e.name === 'rate-limit' && (e.payload as { waitMs: number }).waitMs === 120_000)).toBe(true);
  });

  it('a 429 is retried by the core after the reset X names', async () => {
    const { fake, x, time, telemetry } = setupOAuth2({ config: { userId: '1500000000000000001' } });
    const reset = Math.ceil(time.clock.t / 1000) + 1;
    time.clock.t = reset * 1000 - 20; // 20 ms before the reset
    fake.state.setRateLimit('posts', 0, reset);
    // A 20 ms wait is all p-retry's base, which is real time: the fake's clock moves by what the
    // retry announced. (Longer waits run on the instance's injected sleep.)
    telemetry.on('retry', (e) => {
      time.clock.t += e.waitMs;
    });
    const pages = await collect(x.streams.posts.read());
    expect(pages.flatMap((p) => p.records)).toHaveLength(5);
    const statuses = server.calls.map((c) => c.response?.status);
    expect(statuses).toEqual([429, 200]);
  });

  it('a reset beyond maxRateLimitWaitMs fails fast with a RateLimitError', async () => {
    const { fake, x, time } = setupOAuth2({ config: { userId: '1500000000000000001', maxRateLimitWaitMs: 60_000 } });
    fake.state.setRateLimit('posts', 1, Math.floor(time.clock.t / 1000) + 900);
    await collect(x.streams.posts.read());
    const error = await collect(x.streams.posts.read()).catch((e: unknown) => e);
    expect(isHmiError(error) && error.code).toBe('rate_limited');
    expect(time.clock.sleeps).toEqual([]);
  });
});
