import { classifyGraphError, createUsageGate, parseGraphUsage } from '@hmi/connector-meta/graph';
import { ApiError, AuthError, RateLimitError, ValidationError } from '@hmi/core';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN, collect, connectorFor, fakeTime, rejection, startFakeGraph } from './harness.js';

const BUC = (pct: number, minutes: number) =>
  JSON.stringify({
    '1029384756': [
      { type: 'ads_insights', call_count: pct, total_cputime: 10, total_time: 12, estimated_time_to_regain_access: minutes },
    ],
  });

describe('Graph paging through campaign insights', () => {
  let harness: ReturnType<typeof startFakeGraph>;
  afterEach(() => harness.close());

  it('follows paging.next page by page, resumes from cursors.after, and maps every row', async () => {
    harness = startFakeGraph();
    const meta = connectorFor(harness, { pageSize: 2 });
    const pages = [];
    for await (const page of meta.streams.campaignInsights.read({ checkpoint: { since: '2026-11-30', until: '2026-12-02' } }))
      pages.push(page);
    expect(pages).toHaveLength(3); // 6 rows, 2 per page
    const gets = harness.state.requests.filter((r) => r.path.endsWith('/insights'));
    expect(gets.map((r) => r.query.after)).toEqual([undefined, expect.any(String), expect.any(String)]);
    // The token travels in the header only: never copied from the next link into the query.
    for (const r of gets) {
      expect(r.query.access_token).toBeUndefined();
      expect(r.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
      expect(r.query.level).toBe('campaign');
      expect(r.query.time_increment).toBe('1');
    }
    const metrics = pages.flatMap((p) => p.records);
    const spend = metrics.filter((m) => m.metric === 'spend' && m.subjectId === '23850000000000001');
    expect(spend.map((m) => [m.value, m.unit, m.periodStart?.slice(0, 10)])).toEqual([
      [150.25, 'SAR', '2026-11-30'],
      [160.25, 'SAR', '2026-12-01'],
      [170.25, 'SAR', '2026-12-02'],
    ]);
    expect(metrics.find((m) => m.metric === 'leads' && m.periodStart?.startsWith('2026-12-01'))?.value).toBe(13);
    expect(metrics.find((m) => m.metric === 'cost_per_lead' && m.periodStart?.startsWith('2026-11-30'))?.value).toBeCloseTo(
      12.52,
      2,
    );

    // Resume from the checkpoint of the first page: only the remaining pages are read.
    harness.state.requests.length = 0;
    const rest = await collect(meta.streams.campaignInsights.read({ checkpoint: pages[0]!.checkpoint }));
    expect(rest.length).toBe(metrics.length - pages[0]!.records.length);
    expect(harness.state.requests[0]!.query.after).toBe(pages[0]!.checkpoint.after);
  });

  it('retries a 613 throttle once the usage window is over, by the injected clock', async () => {
    const time = fakeTime();
    harness = startFakeGraph({ now: time.now });
    const meta = connectorFor(harness, { pageSize: 2, now: time.now, sleep: time.sleep });
    const reader = meta.streams.campaignInsights
      .read({ checkpoint: { since: '2026-11-30', until: '2026-12-02' } })
      [Symbol.asyncIterator]();
    const first = await reader.next();
    expect(first.value?.records.length).toBeGreaterThan(0);
    // Page 2 is throttled once (613) with usage headers at 100 % and no estimate from Meta: the
    // gate's default pause (10 s) is the window; the retry goes out after it, and no sooner.
    harness.state.failNext({
      code: 613,
      headers: { 'x-business-use-case-usage': BUC(100, 0), 'x-app-usage': '{"call_count":96}' },
    });
    const second = await reader.next();
    expect(second.value?.records.length).toBeGreaterThan(0);
    const insightGets = harness.state.requests.filter((r) => r.path.endsWith('/insights'));
    expect(insightGets).toHaveLength(3); // page 1, page 2 throttled, page 2 again
    expect(insightGets[1]!.query.after).toBe(insightGets[2]!.query.after);
    expect(insightGets[2]!.at! - insightGets[1]!.at!).toBe(10_000);
    await reader.next(); // page 3: the window is over, no further wait
    expect(time.sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  it('a window beyond maxWaitMs is RateLimitError with retryAfterMs after one request', async () => {
    harness = startFakeGraph();
    const meta = connectorFor(harness, { pageSize: 2 });
    harness.state.failNext({ code: 613, headers: { 'x-business-use-case-usage': BUC(100, 10) } }, 5);
    const error = await rejection(
      collect(meta.streams.campaignInsights.read({ checkpoint: { since: '2026-11-30', until: '2026-12-02' } })),
    );
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(600_000);
    expect((error as RateLimitError).vendorCode).toBe('613');
    expect(harness.state.requests).toHaveLength(1); // ten minutes exceeds the default five: not hammered
  });

  it('with maxWaitMs 30 s a one-minute window is RateLimitError at once; the next call is held back without a request', async () => {
    harness = startFakeGraph();
    const meta = connectorFor(harness, { pageSize: 2, maxWaitMs: 30_000 });
    harness.state.failNext({ code: 613, headers: { 'x-business-use-case-usage': BUC(100, 1) } });
    const checkpoint = { since: '2026-11-30', until: '2026-12-02' };
    const first = await rejection(collect(meta.streams.campaignInsights.read({ checkpoint })));
    expect((first as RateLimitError).retryAfterMs).toBe(60_000);
    expect(harness.state.requests).toHaveLength(1);
    const held = await rejection(collect(meta.streams.campaignInsights.read({ checkpoint })));
    expect(RateLimitError.isInstance(held)).toBe(true);
    expect((held as RateLimitError).retryAfterMs).toBe(60_000);
    expect(harness.state.requests).toHaveLength(1); // the gate refused before any request
  });

  it('refuses a next link to a foreign origin with a typed error and sends nothing there', async () => {
    harness = startFakeGraph({ nextOrigin: 'https://graph.evil.example' });
    const meta = connectorFor(harness, { pageSize: 2 });
    const seen: string[] = [];
    const reader = meta.streams.campaignInsights.read({ checkpoint: { since: '2026-11-30', until: '2026-12-02' } });
    const error = await rejection(
      (async () => {
        for await (const page of reader) seen.push(...page.records.map((r) => r.metric));
      })(),
    );
    expect(ApiError.isInstance(error)).toBe(true);
    expect((error as ApiError).code).toBe('foreign_next_link');
    expect(seen.length).toBeGreaterThan(0); // the first page was delivered
    expect(harness.calls.map((c) => new URL(c.url).origin)).toEqual(['https://graph.facebook.com']);
    expect(JSON.stringify(error)).not.toContain(ACCESS_TOKEN);
  });
});

describe('Graph error classification', () => {
  const ctx = (code: number, headers: Record<string, string> = {}, status = 400, extra: Record<string, unknown> = {}) => ({
    status,
    headers: new Headers(headers),
    body: { error: { code, message: 'فاطمة said something', fbtrace_id: 'AbC', ...extra } },
    method: 'GET' as const,
    operation: 'x',
    requestId: undefined,
  });
  it('maps the documented codes', () => {
    const auth = classifyGraphError(ctx(190, {}, 401, { error_subcode: 463 }), { connector: 'meta' });
    expect(AuthError.isInstance(auth) && auth.code).toBe('token_expired');
    expect(auth?.vendorCode).toBe('190/463');
    for (const code of [4, 17, 32, 613, 80000, 80004]) {
      const e = classifyGraphError(ctx(code, { 'x-business-use-case-usage': BUC(100, 2) }, 403), { connector: 'meta' });
      expect(RateLimitError.isInstance(e)).toBe(true);
      expect((e as RateLimitError).retryAfterMs).toBe(120_000);
      expect(e?.toJSON()).toMatchObject({ notProcessed: true });
    }
    expect(ValidationError.isInstance(classifyGraphError(ctx(100), { connector: 'meta' }))).toBe(true);
    const policy = classifyGraphError(ctx(368), { connector: 'meta' });
    expect(policy?.code).toBe('policy_blocked');
    expect(policy?.retryable).toBe(false);
    expect(classifyGraphError(ctx(1), { connector: 'meta' })?.retryable).toBe(true);
    // Meta's message text never reaches the error.
    expect(JSON.stringify(policy?.toJSON())).not.toContain('فاطمة');
  });
});

describe('usage headers', () => {
  it('reads every quota and the regain estimate, tolerating junk', () => {
    const h = new Headers({
      'x-app-usage': '{"call_count":28,"total_time":25,"total_cputime":91}',
      'x-business-use-case-usage': BUC(40, 3),
    });
    expect(parseGraphUsage(h)).toEqual({ maxPct: 91, regainAccessMs: 180_000 });
    expect(parseGraphUsage(new Headers({ 'x-app-usage': 'not json' }))).toBeUndefined();
    expect(parseGraphUsage(new Headers({ 'x-app-usage': 'x'.repeat(100_000) }))).toBeUndefined();
  });
  it('holds requests back only at or over the threshold', async () => {
    const time = fakeTime();
    const gate = createUsageGate({
      thresholdPct: 80,
      defaultPauseMs: 60_000,
      maxWaitMs: 60_000,
      now: time.now,
      sleep: time.sleep,
    });
    gate.observe(new Headers({ 'x-app-usage': '{"call_count":79}' }));
    await gate.wait();
    expect(time.sleeps).toEqual([]);
    gate.observe(new Headers({ 'x-app-usage': '{"call_count":80}' }));
    expect(gate.pendingMs()).toBe(60_000);
    time.advance(20_000);
    await gate.wait();
    expect(time.sleeps).toEqual([40_000]);
  });
});
