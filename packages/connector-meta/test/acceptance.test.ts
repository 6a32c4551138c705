// The acceptance checks, written as an outside tester would: only the public API
// (createMetaConnector, @hmi/connector-meta/msw's handlers, @hmi/flow's createWebhookHandler) and
// Node's own HMAC as the reference — none of the connector's helpers.
import { createHmac } from 'node:crypto';
import { createMetaConnector } from '@hmi/connector-meta';
import { createFakeGraphApi, FIXTURE_IDS, insightsFixtures } from '@hmi/connector-meta/msw';
import { ApiError, ValidationError } from '@hmi/core';
import { createMemoryStateStore, createWebhookHandler } from '@hmi/flow';
import fc from 'fast-check';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'EAAG_ACCEPTANCE_CANARY_b71f20d4';
const HOOK = 'https://crm.hospital.sa/hooks/meta';
const sign = (body: Uint8Array, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const arabicUnit = fc.constantFrom(...'ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى ًٌٍَُِّْ٠١٢٣٤٥٦٧٨٩،؟'.split(''));
const arabic = fc.string({ unit: arabicUnit, minLength: 1, maxLength: 120 });
/** Random Arabic bodies: plain text, Meta-like JSON with Arabic values (raw or \u-escaped as Meta sends). */
const body = fc.oneof(
  arabic,
  arabic.map((t) =>
    JSON.stringify({ object: 'page', entry: [{ id: '1', time: 1, changes: [{ field: 'feed', value: { message: t } }] }] }),
  ),
  arabic.map((t) =>
    JSON.stringify({ object: 'page', note: t }).replace(
      /[\u0600-\u06ff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
  ),
);
/** Random app secrets, short ones, Arabic and any Unicode included (the config takes any non-empty value). */
const secret = fc.oneof(
  fc.string({ minLength: 1, maxLength: 64 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.string({ unit: arabicUnit, minLength: 1, maxLength: 40 }),
);

/** Byte positions by class: first, last, an ASCII byte, a UTF-8 lead byte, a UTF-8 continuation byte. */
function positionClasses(bytes: Uint8Array): Record<string, number | undefined> {
  const find = (test: (b: number) => boolean) => {
    const i = bytes.findIndex(test);
    return i === -1 ? undefined : i;
  };
  return {
    first: 0,
    last: bytes.length - 1,
    ascii: find((b) => b < 0x80),
    lead: find((b) => b >= 0xc0),
    continuation: find((b) => b >= 0x80 && b < 0xc0),
  };
}

function metaFor(appSecret: string, verifyToken = 'verify-token-0001') {
  return createMetaConnector({ accessToken: TOKEN, appSecret, verifyToken });
}

describe('X-Hub-Signature-256 through the connector', () => {
  it('accepts random Arabic bodies signed with random secrets; refuses any changed byte of every position class', async () => {
    await fc.assert(
      fc.asyncProperty(body, secret, fc.integer({ min: 1, max: 255 }), async (text, key, mask) => {
        const meta = metaFor(key);
        const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
        const header = sign(bytes, key);
        const deliver = (payload: Uint8Array<ArrayBuffer>) =>
          meta.webhooks.events.verify(
            new Request(HOOK, { method: 'POST', headers: { 'x-hub-signature-256': header }, body: payload }),
          );
        expect((await deliver(bytes)).length).toBeGreaterThan(0);
        for (const [, at] of Object.entries(positionClasses(bytes))) {
          if (at === undefined) continue;
          const tampered = Uint8Array.from(bytes);
          tampered[at]! ^= mask; // flips 1 to 8 bits of that byte
          await expect(deliver(tampered)).rejects.toMatchObject({ name: 'WebhookVerificationError' });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('refuses every single-byte change at every position of a body (exhaustive, direct)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: arabicUnit, minLength: 1, maxLength: 24 }), secret, async (text, key) => {
        const meta = metaFor(key);
        const bytes = new Uint8Array(Buffer.from(JSON.stringify({ object: 'page', t: text }), 'utf8'));
        const header = sign(bytes, key);
        for (let at = 0; at < bytes.length; at++) {
          const tampered = Uint8Array.from(bytes);
          tampered[at]! ^= 1 << (at % 8);
          const request = new Request(HOOK, { method: 'POST', headers: { 'x-hub-signature-256': header }, body: tampered });
          await expect(meta.webhooks.events.verify(request)).rejects.toMatchObject({ name: 'WebhookVerificationError' });
        }
      }),
      { numRuns: 15 },
    );
  });

  it('refuses the header with any one byte changed, at every position (prefix and digest, case included)', async () => {
    await fc.assert(
      fc.asyncProperty(body, secret, fc.integer({ min: 0x21, max: 0x7e }), async (text, key, replacement) => {
        const meta = metaFor(key);
        const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
        const header = sign(bytes, key);
        for (let at = 0; at < header.length; at++) {
          let char = String.fromCharCode(replacement);
          if (char === header[at]) char = header[at] === 'a' ? 'A' : 'a';
          const changed = `${header.slice(0, at)}${char}${header.slice(at + 1)}`;
          const request = new Request(HOOK, { method: 'POST', headers: { 'x-hub-signature-256': changed }, body: bytes });
          await expect(meta.webhooks.events.verify(request)).rejects.toMatchObject({ name: 'WebhookVerificationError' });
        }
      }),
      { numRuns: 20 },
    );
  });

  it('through createWebhookHandler: 200 for a signed Arabic delivery, 401 for a changed byte, a changed signature, or a wrong secret', async () => {
    await fc.assert(
      fc.asyncProperty(body, secret, fc.nat(), async (text, key, at) => {
        const store = createMemoryStateStore();
        const handler = createWebhookHandler({ store, connectors: { meta: metaFor(key) } });
        try {
          const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
          const post = (payload: Uint8Array<ArrayBuffer>, header: string) =>
            handler(new Request(HOOK, { method: 'POST', headers: { 'x-hub-signature-256': header }, body: payload }));
          expect((await post(bytes, sign(bytes, key))).status).toBe(200);
          const tampered = Uint8Array.from(bytes);
          tampered[at % bytes.length]! ^= 0x20;
          expect((await post(tampered, sign(bytes, key))).status).toBe(401);
          const hex = sign(bytes, key);
          const i = 7 + (at % 64);
          expect((await post(bytes, `${hex.slice(0, i)}${hex[i] === '0' ? '1' : '0'}${hex.slice(i + 1)}`)).status).toBe(401);
          expect((await post(bytes, sign(bytes, `${key}x`))).status).toBe(401);
        } finally {
          await handler.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('subscription handshake through createWebhookHandler', () => {
  it('echoes hub.challenge as text/plain for random verify tokens; 403 for any other token', async () => {
    await fc.assert(
      fc.asyncProperty(secret, fc.stringMatching(/^[0-9]{1,12}$/), secret, async (verifyToken, challenge, other) => {
        fc.pre(other !== verifyToken);
        const store = createMemoryStateStore();
        const handler = createWebhookHandler({ store, connectors: { meta: metaFor('app-secret-0001', verifyToken) } });
        try {
          const get = (token: string) => {
            const u = new URL(HOOK);
            u.searchParams.set('hub.mode', 'subscribe');
            u.searchParams.set('hub.verify_token', token);
            u.searchParams.set('hub.challenge', challenge);
            return handler(new Request(u));
          };
          const ok = await get(verifyToken);
          expect(ok.status).toBe(200);
          expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
          expect(await ok.text()).toBe(challenge);
          const bad = await get(other);
          expect(bad.status).toBe(403);
          expect(await bad.text()).not.toContain(challenge.length > 3 ? challenge : 'forbidden!');
        } finally {
          await handler.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('campaign insights: cursor paging, a 613 throttle, a foreign next link', () => {
  const foreignHits: string[] = [];
  const server = setupServer(
    http.all('https://graph.evil.example/*', ({ request }) => {
      foreignHits.push(request.url);
      return HttpResponse.json({ data: [] });
    }),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    foreignHits.length = 0;
  });
  afterAll(() => server.close());

  function clock() {
    let now = Date.parse('2026-12-03T10:00:00Z');
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
      now += ms;
    };
    return { now: () => now, sleep, waits };
  }
  const days = { since: '2026-11-30', until: '2026-12-02' };

  it('pages through every row and retries a 613 (X-App-Usage, X-Business-Use-Case-Usage) only after the usage window', async () => {
    const time = clock();
    const fake = createFakeGraphApi({ accessToken: TOKEN, now: time.now });
    server.use(...fake.handlers);
    const meta = createMetaConnector({
      accessToken: TOKEN,
      adAccountId: FIXTURE_IDS.adAccountId,
      pageSize: 2,
      now: time.now,
      sleep: time.sleep,
    });
    const pages = meta.streams.campaignInsights.read({ checkpoint: days })[Symbol.asyncIterator]();
    const records = [...((await pages.next()).value?.records ?? [])];
    fake.state.failNext({
      code: 613,
      headers: {
        'x-app-usage': JSON.stringify({ call_count: 100, total_cputime: 40, total_time: 55 }),
        'x-business-use-case-usage': JSON.stringify({
          '1029384756': [
            { type: 'ads_insights', call_count: 100, total_cputime: 30, total_time: 40, estimated_time_to_regain_access: 2 },
          ],
        }),
      },
    });
    for (let page = await pages.next(); !page.done; page = await pages.next()) records.push(...page.value.records);

    const rows = insightsFixtures();
    expect(new Set(records.map((r) => `${r.subjectId}:${r.periodStart}`)).size).toBe(rows.length);
    const spend = records.filter((r) => r.metric === 'spend').reduce((sum, r) => sum + r.value, 0);
    expect(spend).toBeCloseTo(
      rows.reduce((sum, r) => sum + Number(r.spend), 0),
      2,
    );
    expect(records.filter((r) => r.metric === 'spend').every((r) => r.unit === 'SAR')).toBe(true);

    const gets = fake.state.requests;
    expect(gets).toHaveLength(4); // 3 pages + the throttled one again
    const [, throttled, retried] = gets;
    expect(retried!.query.after).toBe(throttled!.query.after); // the same cursor, not skipped
    expect(retried!.at! - throttled!.at!).toBeGreaterThanOrEqual(2 * 60_000); // after the window, by the injected clock
    expect(gets.every((r) => r.query.access_token === undefined)).toBe(true);
  });

  it('the fake caps a page like Graph does: paging works whatever limit the connector asks', async () => {
    const fake = createFakeGraphApi({ accessToken: TOKEN, pageSize: 4 });
    server.use(...fake.handlers);
    const meta = createMetaConnector({ accessToken: TOKEN, adAccountId: FIXTURE_IDS.adAccountId });
    const pages: number[] = [];
    for await (const page of meta.streams.campaignInsights.read({ checkpoint: days })) pages.push(page.records.length);
    expect(fake.state.requests.map((r) => r.query.limit)).toEqual(['100', '100']);
    expect(pages).toHaveLength(2);
    expect(fake.state.requests[1]!.query.after).toBeDefined();
  });

  it('a paging.next on a foreign origin is refused with a typed error: no request reaches that host', async () => {
    const fake = createFakeGraphApi({ accessToken: TOKEN, nextOrigin: 'https://graph.evil.example' });
    server.use(...fake.handlers);
    const meta = createMetaConnector({ accessToken: TOKEN, adAccountId: FIXTURE_IDS.adAccountId, pageSize: 2 });
    const seen: number[] = [];
    const error = await (async () => {
      for await (const page of meta.streams.campaignInsights.read({ checkpoint: days })) seen.push(page.records.length);
    })().catch((e: unknown) => e);
    expect(ApiError.isInstance(error)).toBe(true);
    expect((error as ApiError).code).toBe('foreign_next_link');
    expect(JSON.stringify((error as ApiError).toJSON())).not.toContain(TOKEN);
    expect(seen).toHaveLength(1); // the first page was delivered
    expect(foreignHits).toEqual([]);
    expect(fake.state.requests).toHaveLength(1);
  });
});

describe('privacy: public text naming the patient is refused before any request', () => {
  const patient = { names: ['فاطمة عبدالله الزهراني', 'Fatima Al-Zahrani'], phones: ['+966 55 123 4567'], mrns: ['MRN-00912'] };
  const texts = [
    'نتمنى الشفاء العاجل لفاطمة الزهراني',
    'سلامات يا فاطمه',
    'Get well soon, Fatima Al-Zahrani!',
    'call +966551234567',
    'اتصلي على 0551234567',
    'اتصلي على ٠٥٥١٢٣٤٥٦٧',
    'اتصلي على ٠٥٥ ١٢٣ ٤٥٦٧',
    'call 00966 55 123 4567',
    'ملفك رقم 00912 جاهز',
    'your file MRN-00912 is ready',
  ];
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it.each(texts)('%s', async (text) => {
    const fake = createFakeGraphApi({ accessToken: TOKEN });
    server.use(...fake.handlers);
    const meta = createMetaConnector({ accessToken: TOKEN, pageId: FIXTURE_IDS.pageId });
    const post = await meta.actions.publishPost({ text, knownPatient: patient }).catch((e: unknown) => e);
    const reply = await meta.actions
      .replyToComment({ commentId: '900000000000001_700000000000001', text, overrideTemplate: true, knownPatient: patient })
      .catch((e: unknown) => e);
    for (const error of [post, reply]) {
      expect(ValidationError.isInstance(error)).toBe(true);
      expect((error as ValidationError).code).toBe('phi_refused');
      expect(JSON.stringify((error as ValidationError).toJSON())).not.toMatch(/فاطم|Fatima|551234567|00912/);
    }
    expect(fake.state.requests).toHaveLength(0);
  });

  it('a health comment gets the private-contact template unless the call overrides it', async () => {
    const fake = createFakeGraphApi({ accessToken: TOKEN });
    server.use(...fake.handlers);
    const meta = createMetaConnector({ accessToken: TOKEN, pageId: FIXTURE_IDS.pageId });
    const commentId = '900000000000001_700000000000001';
    const sent = () => fake.state.requests.at(-1)!.body?.message;
    expect((await meta.actions.replyToComment({ commentId, text: 'خذ مسكنًا واسترح' })).templated).toBe(true);
    expect(sent()).toMatch(/التواصل معنا/);
    expect(sent()).not.toContain('مسكن');
    await meta.actions.replyToComment({ commentId, text: 'Take a painkiller', language: 'en' });
    expect(sent()).toMatch(/contact us privately/);
    expect(
      (await meta.actions.replyToComment({ commentId, text: 'عيادتنا تفتح الساعة ٨', overrideTemplate: true })).templated,
    ).toBe(false);
    expect(sent()).toBe('عيادتنا تفتح الساعة ٨');
    // Not a health matter: the text goes as written (still checked for the patient).
    await meta.actions.replyToComment({ commentId, text: 'Parking is free', healthMatter: false });
    expect(sent()).toBe('Parking is free');
  });
});
