import { AuthError, createPhiFirewall, createTelemetry, isHmiError, ValidationError } from '@hmi/core';
import { createMatomoConnector, type MatomoConfigInput } from '@hmi/connector-matomo';
import { createFakeMatomo } from '@hmi/connector-matomo/msw';
import fc from 'fast-check';
import { setupServer } from 'msw/node';
import { fictionalPatient, leakedKinds } from '@hmi/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const BASE = 'https://matomo.hospital.example';
const TOKEN = 'matomo_CANARY_token_3b7e91d2c4';
const CANARIES = fictionalPatient;
const fake = createFakeMatomo({ baseUrl: BASE, siteId: 3, tokenAuth: TOKEN });
const server = setupServer(...fake.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  fake.state.requests.length = 0;
  fake.state.hits.length = 0;
});
afterAll(() => server.close());

const matomo = (config: Partial<MatomoConfigInput> = {}, telemetry = createTelemetry()) =>
  createMatomoConnector(
    { baseUrl: BASE, siteId: 3, tokenAuth: TOKEN, retry: { minDelayMs: 1, maxDelayMs: 5 }, ...config },
    { telemetry },
  );

/** The kinds of canary found in what reached the fake: URLs and bodies, raw and decoded, any case, name parts too. */
const canariesReceived = (): string[] =>
  leakedKinds(
    fake.state.requests.map((r) => `${r.url}\n${r.body}`),
    CANARIES,
    { ignoreCase: true, wordParts: true },
  );

describe('Reporting API', () => {
  it('VisitsSummary.get by day → one row per date; token_auth only in the POST body', async () => {
    const report = await matomo().actions.getReport({
      method: 'VisitsSummary.get',
      period: 'day',
      date: '2026-03-01,2026-03-03',
    });
    expect(report.dimensions).toEqual(['date']);
    expect(report.rows.map((r) => r.dimensions[0])).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    expect(report.metrics).toContain('nb_visits');
    expect(report.metrics).toContain('bounce_rate');
    expect(report.rows[0]?.metrics[report.metrics.indexOf('bounce_rate')]).toBe(33);
    expect(report).toMatchObject({
      property: 'site:3',
      dateRange: { start: '2026-03-01', end: '2026-03-03' },
      method: 'VisitsSummary.get',
    });
    expect(fake.state.tokenInUrl).toBe(0);
    for (const r of fake.state.requests) {
      expect(r.url).toBe(`${BASE}/index.php`);
      expect(new URLSearchParams(r.body).get('token_auth')).toBe(TOKEN);
    }
  });

  it('tables: Actions.getPageUrls, Referrers.getCampaigns (Arabic labels), Goals.get', async () => {
    const m = matomo();
    const pages = await m.actions.getReport({
      method: 'Actions.getPageUrls',
      period: 'week',
      date: '2026-03-02',
      metrics: ['nb_hits', 'nb_visits'],
    });
    expect(pages.dimensions).toEqual(['label']);
    expect(pages.metrics).toEqual(['nb_hits', 'nb_visits']);
    expect(pages.rows.map((r) => r.dimensions[0])).toContain('/ar/cardiology');
    const campaigns = await m.actions.getReport({
      method: 'Referrers.getCampaigns',
      period: 'day',
      date: '2026-03-01,2026-03-02',
      limit: 2,
    });
    expect(campaigns.dimensions).toEqual(['date', 'label']);
    expect(campaigns.rows).toHaveLength(4);
    const all = await m.actions.getReport({ method: 'Referrers.getCampaigns', period: 'month', date: '2026-03-01', limit: -1 });
    expect(all.rows.map((r) => r.dimensions[0])).toContain('حملة_الكشف_المبكر');
    const goals = await m.actions.getReport({ method: 'Goals.get', period: 'month', date: '2026-03-01', goalId: 2 });
    expect(goals.dimensions).toEqual([]);
    expect(goals.rows).toHaveLength(1);
    expect(goals.metrics).toEqual(['conversion_rate', 'nb_conversions', 'nb_visits_converted', 'revenue']);
  });

  it('Matomo’s 200 {"result":"error"} answers become typed errors without the vendor text', async () => {
    const wrongToken = await matomo({ tokenAuth: 'x'.repeat(20) })
      .actions.getReport({ method: 'Goals.get', period: 'day', date: 'today' })
      .catch((e) => e);
    expect(AuthError.isInstance(wrongToken)).toBe(true);
    const wrongSite = await matomo({ siteId: 9 })
      .actions.getReport({ method: 'Goals.get', period: 'day', date: 'today' })
      .catch((e) => e);
    expect(ValidationError.isInstance(wrongSite)).toBe(true);
    expect(String(wrongSite.message)).not.toContain('website id');
    expect(await matomo().check()).toEqual({ ok: true });
  });

  it('5xx is retried by the core (a read), then succeeds', async () => {
    fake.state.failNext(503, 2);
    const report = await matomo().actions.getReport({ method: 'VisitsSummary.get', period: 'day', date: 'yesterday' });
    expect(report.rows).toHaveLength(1);
    expect(fake.state.requests).toHaveLength(3);
  });
});

describe('Tracking API through the PHI firewall', () => {
  const firewall = createPhiFirewall({ knownNames: [CANARIES.name], userIdSecret: 'hospital-hmac-secret-0001' });

  it('bulk hits with canaries in URLs, titles and parameters: none reach Matomo; hits are tracked', async () => {
    const telemetry = createTelemetry();
    const seen: unknown[] = [];
    telemetry.onAny((name, payload) => seen.push({ name, payload }));
    const result = await matomo({ firewall }, telemetry).actions.trackHits({
      hits: [
        {
          url: `https://hospital.example/en/results/${CANARIES.mrn}?email=${encodeURIComponent(CANARIES.email)}`,
          actionName: `Lab results — ${CANARIES.name}`,
          referrer: `https://portal.hospital.example/patients/${CANARIES.saudiId}`,
          userId: CANARIES.egyptId,
          visitorId: 'a1b2c3d4e5f60718',
        },
        {
          url: 'https://hospital.example/ar/book-appointment',
          event: { category: 'booking', action: 'submit', name: `call ${CANARIES.phone}` },
          dimensions: { 1: CANARIES.email },
        },
      ],
    });
    expect(result).toMatchObject({ sent: true, tracked: 2, invalid: 0, mode: 'enforce' });
    expect(canariesReceived()).toEqual([]);
    expect(fake.state.hits[0]).toMatchObject({
      url: 'https://hospital.example/en/results/:id',
      _id: 'a1b2c3d4e5f60718',
      idsite: '3',
      rec: '1',
    });
    expect(fake.state.hits[0]?.uid).toMatch(/^[0-9a-f]{64}$/);
    expect(fake.state.hits[0]?.action_name).toBeUndefined();
    expect(fake.state.hits.some((h) => 'cip' in h)).toBe(false);
    expect(JSON.stringify(seen)).not.toContain(TOKEN);
    expect(seen).toContainEqual({
      name: 'privacy:firewall',
      payload: expect.objectContaining({ connector: 'matomo', forwarded: true }),
    });
  });

  it('property: no canary reaches Matomo from any placement (default policy + known names)', async () => {
    const m = matomo({ firewall: createPhiFirewall({ knownNames: [CANARIES.name] }) });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.values(CANARIES)),
        fc.constantFrom('path', 'query', 'title', 'referrer', 'eventName', 'dimension', 'campaign', 'userId'),
        fc.stringMatching(/^[a-z -]{0,8}$/),
        async (canary, where, pad) => {
          fake.state.requests.length = 0;
          const text = `${pad}${canary}${pad}`;
          const hit: Record<string, unknown> = { url: 'https://hospital.example/en/clinics' };
          if (where === 'path') hit.url = `https://hospital.example/en/${encodeURIComponent(text)}`;
          if (where === 'query') hit.url = `https://hospital.example/en/?q=${encodeURIComponent(text)}`;
          if (where === 'title') hit.actionName = text;
          if (where === 'referrer') hit.referrer = `https://x.example/${encodeURIComponent(text)}`;
          if (where === 'eventName') hit.event = { category: 'c', action: 'a', name: text };
          if (where === 'dimension') hit.dimensions = { 2: text };
          if (where === 'campaign') hit.campaignName = text;
          if (where === 'userId') hit.userId = text;
          await m.actions.trackHits({ hits: [hit as never] });
          expect(canariesReceived()).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a failed bulk send is not retried (Matomo does not deduplicate): outcome unknown', async () => {
    fake.state.failNext(503, 1);
    const error = await matomo()
      .actions.trackHits({ hits: [{ url: 'https://hospital.example/' }] })
      .catch((e) => e);
    expect(isHmiError(error) && error.toJSON()).toMatchObject({ outcomeUnknown: true });
    expect(fake.state.requests).toHaveLength(1);
  });

  it('report mode sends nothing', async () => {
    const result = await matomo({ firewall: createPhiFirewall({ mode: 'report' }) }).actions.trackHits({
      hits: [{ url: `https://hospital.example/p/${CANARIES.mrn}` }],
    });
    expect(result).toMatchObject({ sent: false, mode: 'report', total: 1 });
    expect(fake.state.requests).toHaveLength(0);
  });
});
