import { isHmiError, RateLimitError } from '@hmi/core';
import { createFakeServiceAccount } from '@hmi/connector-ga4/msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ga4For, ga4Specs, NOW, PROPERTY_ID, rejection, startFakeGa4 } from './harness.js';

let fake: ReturnType<typeof startFakeGa4>;
const specs = ga4Specs();

beforeAll(() => {
  fake = startFakeGa4();
});
afterEach(() => {
  fake.state.requests.length = 0;
  fake.state.tokensIssued.length = 0;
});
afterAll(() => fake.close());

const reportRequests = () => fake.state.requests.filter((r) => r.url.includes(':runReport'));

describe('runReport', () => {
  it('pages by offset/limit into one canonical report, equal to the unpaged report', async () => {
    const ga4 = ga4For({ pageSize: 7 });
    const input = {
      dimensions: ['pagePath', 'sessionSource'],
      metrics: ['activeUsers', 'sessions'],
      dateRanges: [{ startDate: '2026-03-01', endDate: '2026-03-07' }],
      returnPropertyQuota: true,
    };
    const paged = await ga4.actions.runReport(input);
    expect(paged.rowCount).toBe(16);
    expect(paged.rows).toHaveLength(16);
    expect(reportRequests().map((r) => JSON.parse(r.body).offset)).toEqual(['0', '7', '14']);
    const whole = await ga4For().actions.runReport(input);
    expect(paged.rows).toEqual(whole.rows);
    expect(paged).toMatchObject({
      property: `properties/${PROPERTY_ID}`,
      dateRange: { start: '2026-03-01', end: '2026-03-07' },
      dimensions: ['pagePath', 'sessionSource'],
    });
    expect(paged.quota?.tokensPerHour?.consumed).toBeGreaterThan(0);
    expect(new Set(paged.rows.map((r) => r.dimensions.join('|'))).size).toBe(16);
    expect(typeof paged.rows[0]?.metrics[0]).toBe('number');
  });

  it('pages through a quota error: the core retries the refused page and no row is lost or repeated', async () => {
    const ga4 = ga4For({ pageSize: 5 });
    const input = {
      dimensions: ['pagePath', 'country'],
      metrics: ['screenPageViews'],
      dateRanges: [{ startDate: '2026-03-01', endDate: '2026-03-02' }],
    };
    const expected = await ga4.actions.runReport(input);
    fake.state.requests.length = 0;
    // The second page is refused twice (429 RESOURCE_EXHAUSTED), then served.
    let served = 0;
    const afterFirstPage = () => {
      served++;
      if (served === 1) fake.state.failNext(429, 2);
    };
    fake.server.events.on('response:mocked', afterFirstPage);
    const paged = await ga4.actions.runReport(input);
    fake.server.events.removeListener('response:mocked', afterFirstPage);
    expect(paged.rows).toEqual(expected.rows);
    const offsets = reportRequests().map((r) => JSON.parse(r.body).offset);
    expect(offsets).toEqual(['0', '5', '5', '5', '10']);
  });

  it('classifies an exhausted quota as a RateLimitError once the retries are spent', async () => {
    fake.state.failNext(429, 10);
    const error = await rejection(
      ga4For().actions.runReport({ metrics: ['sessions'], dateRanges: [{ startDate: 'yesterday', endDate: 'today' }] }),
    );
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(isHmiError(error) && error.toJSON()).toMatchObject({ vendorCode: 'RESOURCE_EXHAUSTED', connector: 'ga4' });
    expect(reportRequests()).toHaveLength(4);
    fake.state.clearFailures();
  });

  it('filters, orders, several date ranges; a bad field is a ValidationError', async () => {
    const ga4 = ga4For();
    const report = await ga4.actions.runReport({
      dimensions: ['sessionSource'],
      metrics: ['sessions'],
      dateRanges: [
        { startDate: '2026-03-01', endDate: '2026-03-03', name: 'before' },
        { startDate: '7daysAgo', endDate: 'yesterday', name: 'after' },
      ],
      dimensionFilter: {
        andGroup: {
          expressions: [
            { filter: { fieldName: 'country', inListFilter: { values: ['Saudi Arabia', 'Egypt'] } } },
            {
              notExpression: { filter: { fieldName: 'sessionSource', stringFilter: { matchType: 'EXACT', value: '(direct)' } } },
            },
          ],
        },
      },
      metricFilter: {
        filter: { fieldName: 'sessions', numericFilter: { operation: 'GREATER_THAN', value: { int64Value: '10' } } },
      },
      orderBys: [{ dimension: { dimensionName: 'sessionSource' } }],
    });
    expect(report.dimensions).toEqual(['sessionSource', 'dateRange']);
    expect(report.rows.map((r) => r.dimensions[0])).not.toContain('(direct)');
    expect(new Set(report.rows.map((r) => r.dimensions[1]))).toEqual(new Set(['before', 'after']));
    const error = await rejection(
      ga4.actions.runReport({ metrics: ['patientName'], dateRanges: [{ startDate: 'today', endDate: 'today' }] }),
    );
    expect(isHmiError(error) && error.code).toBe('invalid_request');
  });

  it('every request and response matches Google’s Discovery document', async () => {
    const ga4 = ga4For({ pageSize: 50 });
    await ga4.actions.runReport({
      dimensions: ['date', 'deviceCategory'],
      metrics: ['activeUsers'],
      dateRanges: [{ startDate: '2026-02-01', endDate: '2026-02-28' }],
      orderBys: [{ metric: { metricName: 'activeUsers' }, desc: true }],
      keepEmptyRows: false,
      currencyCode: 'SAR',
      returnPropertyQuota: true,
    });
    await ga4.actions.runRealtimeReport({
      dimensions: ['country'],
      metrics: ['activeUsers'],
      limit: 5,
      minuteRanges: [{ startMinutesAgo: 29, endMinutesAgo: 0 }],
    });
    const calls = fake.state.requests.filter((r) => r.url.includes('/v1beta/'));
    expect(calls.length).toBeGreaterThan(2);
    for (const call of calls) {
      const match = specs.data.matchRequest(call.method, call.url);
      expect(match, call.url).toBeDefined();
      expect(match?.params.propertiesId).toBe(PROPERTY_ID);
      expect(specs.data.validateRequest(match!.method.id, JSON.parse(call.body)).errors).toEqual([]);
    }
    for (const call of calls) {
      const id = specs.data.matchRequest('POST', call.url)!.method.id;
      expect(call.response, call.url).toBeDefined();
      expect(specs.data.validateResponse(id, call.response).errors).toEqual([]);
    }
  });

  it('the Discovery validator rejects what Google would (so a pass means something)', () => {
    const id = 'analyticsdata.properties.runReport';
    expect(specs.data.validateRequest(id, { dateRanges: [{ startDate: 'today', endDate: 'today' }], limit: 'ten' }).valid).toBe(
      false,
    );
    expect(specs.data.validateRequest(id, { metrics: [{ nam: 'sessions' }] }).valid).toBe(false);
    expect(specs.data.validateRequest(id, { offset: 5 }).valid).toBe(false);
    expect(specs.data.validateRequest(id, { metricAggregations: ['MEDIAN'] }).valid).toBe(false);
    expect(specs.data.matchRequest('POST', 'https://x/v1beta/properties/1:runNothing')).toBeUndefined();
  });
});

describe('auth', () => {
  it('service account: one JWT-bearer token, verified by the fake, cached across requests', async () => {
    const ga4 = ga4For({
      serviceAccount: {
        client_email: fake.account.client_email,
        private_key: fake.account.private_key,
        private_key_id: fake.account.private_key_id,
      },
    });
    for (let i = 0; i < 3; i++)
      await ga4.actions.runReport({ metrics: ['sessions'], dateRanges: [{ startDate: 'today', endDate: 'today' }] });
    expect(fake.state.tokensIssued).toHaveLength(1);
    const form = new URLSearchParams(fake.state.requests.find((r) => r.url.includes('oauth2'))!.body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
  });

  it('a key that is not the service account’s is refused (the fake verifies signatures)', async () => {
    // Same email, another key pair: the signature cannot verify.
    const stranger = createFakeServiceAccount(fake.account.client_email);
    const error = await rejection(
      ga4For({ serviceAccount: { client_email: stranger.client_email, private_key: stranger.private_key } }).actions.runReport({
        metrics: ['sessions'],
        dateRanges: [{ startDate: 'today', endDate: 'today' }],
      }),
    );
    expect(isHmiError(error) && error.name).toBe('AuthError');
    expect(fake.state.tokensIssued).toHaveLength(0);
  });
});

describe('dailyReports stream', () => {
  const reports = { traffic: { dimensions: ['sessionSource'], metrics: ['sessions', 'activeUsers'], startDate: '2026-03-05' } };

  it('reads one report per day up to today, then re-reads the last 3 days on resume', async () => {
    const ga4 = ga4For({ reports });
    const first: string[] = [];
    let checkpoint: { through: Record<string, string> } | undefined;
    for await (const page of ga4.streams.dailyReports.read()) {
      first.push(...page.records.map((r) => r.date));
      checkpoint = page.checkpoint;
    }
    expect(first).toEqual(['2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10']);
    expect(checkpoint).toEqual({ through: { traffic: '2026-03-10' } });
    const later = ga4For({ reports, now: () => NOW.getTime() + 2 * 86_400_000 });
    const second: Array<{ date: string; id: string | undefined }> = [];
    for await (const page of later.streams.dailyReports.read({ checkpoint: checkpoint! })) {
      second.push(...page.records.map((r) => ({ date: r.date, id: r.source?.id })));
    }
    expect(second.map((r) => r.date)).toEqual(['2026-03-08', '2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12']);
    expect(second[0]?.id).toBe('traffic:2026-03-08');
    for (const call of reportRequests()) {
      const body = JSON.parse(call.body);
      expect(body.dateRanges[0].startDate).toBe(body.dateRanges[0].endDate);
    }
  });
});
