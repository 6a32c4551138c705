// Requests the connector sends and fixtures the fake answers with, checked against Meta's own
// codegen specs (../shared/specs/meta/api_specs/specs): param names, types and enum values,
// field names and types of Page, PagePost, Post, Lead, LeadgenForm, Campaign, AdSet, Ad, AdsInsights.
import {
  campaignFixtures,
  commentFixture,
  FIXTURE_IDS,
  insightsFixtures,
  leadFixture,
  pageInsightsFixture,
  postFixtures,
} from '@hmi/connector-meta/msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, connectorFor, startFakeGraph } from './harness.js';
import { createMetaSpec } from './meta-spec.js';

const spec = createMetaSpec();

describe('the spec reader can fail', () => {
  it('flags unknown fields, wrong types, unknown params and enum values', () => {
    expect(spec.checkObject('Lead', { id: '1', favourite_colour: 'blue' })).toHaveLength(1);
    expect(spec.checkObject('Lead', { is_organic: 'yes' })).toHaveLength(1);
    expect(spec.checkObject('Lead', { field_data: [{ name: 'x', values: 'not a list' }] })).toHaveLength(1);
    expect(spec.checkRequest('AdAccount', 'POST', 'campaigns', { status: 'RUNNING' }, 'json')).toHaveLength(1);
    expect(spec.checkRequest('Page', 'POST', 'feed', { mesage: 'typo' }, 'json')).toHaveLength(1);
    for (const node of ['Page', 'PagePost', 'Post', 'Lead', 'LeadgenForm', 'Campaign', 'AdSet', 'Ad', 'AdsInsights']) {
      expect(spec.node(node), node).toBeDefined();
    }
  });
});

describe('MSW fixtures match Meta’s specs', () => {
  it.each([
    ['Lead', [leadFixture()]],
    ['Campaign', campaignFixtures()],
    ['AdsInsights', insightsFixtures()],
    ['PagePost', postFixtures()],
    ['Post', postFixtures()],
    ['Comment', [{ ...commentFixture(), from: undefined }]],
    ['InsightsResult', pageInsightsFixture()],
  ] as const)('%s', (node, fixtures) => {
    for (const fixture of fixtures) {
      const clean = Object.fromEntries(Object.entries(fixture).filter(([, v]) => v !== undefined));
      expect(spec.checkObject(node, clean)).toEqual([]);
    }
  });

  it('the lead form the fixtures name is a LeadgenForm with the fields the lead refers to', () => {
    expect(
      spec.checkObject('LeadgenForm', {
        id: FIXTURE_IDS.formId,
        page_id: FIXTURE_IDS.pageId,
        locale: 'ar_AR',
        name: 'موعد فحص',
        status: 'ACTIVE',
      }),
    ).toEqual([]);
  });
});

describe('requests match Meta’s specs', () => {
  let harness: ReturnType<typeof startFakeGraph>;
  beforeAll(async () => {
    harness = startFakeGraph();
    const meta = connectorFor(harness, { pageSize: 4 });
    await meta.actions.getLead({ leadId: '1234567890123456' });
    await collect(meta.streams.campaignInsights.read());
    await collect(meta.streams.campaigns.read());
    await collect(meta.streams.adSets.read());
    await collect(meta.streams.ads.read());
    const created = await meta.actions.createCampaign({ name: 'Test', objective: 'OUTCOME_LEADS', dailyBudgetMinor: 5000 });
    await meta.actions.setCampaignStatus({ campaignId: created.id, status: 'active' });
    const posts = await collect(meta.streams.posts.read());
    await collect(meta.streams.pageInsights.read());
    await collect(meta.streams.comments.read({ checkpoint: { postId: posts[0]!.id, after: null } }));
    const post = await meta.actions.publishPost({ text: 'مرحبا', link: 'https://hospital.sa' });
    await meta.actions.publishPost({ text: 'x', photoUrl: 'https://cdn.hospital.sa/a.jpg', scheduledAt: '2026-12-05T10:00:00Z' });
    await meta.actions.publishPost({ platform: 'instagram', photoUrl: 'https://cdn.hospital.sa/a.jpg', text: 'y' });
    await meta.actions.replyToComment({ commentId: '900000000000001_700000000000001' });
    await meta.actions.deletePost({ postId: post.id });
    await meta.actions.getLongLivedPageToken({ shortLivedUserToken: 'EAAGshortLivedUserToken0000001' });
  });
  afterAll(() => harness.close());

  /** The spec node, edge and returned node of a request path. */
  function route(method: string, path: string): { node: string; edge: string | null; returns?: string } {
    const [id = '', edge = null] = path.split('/');
    if (id === FIXTURE_IDS.adAccountId) {
      const returns = { insights: 'AdsInsights', campaigns: 'Campaign', adsets: 'AdSet', ads: 'Ad' }[edge as string];
      return { node: 'AdAccount', edge, ...(returns && { returns }) };
    }
    if (id === FIXTURE_IDS.pageId && edge === null) return { node: 'Page', edge, returns: 'Page' }; // the Page token read
    if (id === FIXTURE_IDS.pageId) return { node: 'Page', edge, ...(edge !== 'insights' && { returns: 'PagePost' }) };
    if (id === FIXTURE_IDS.instagramAccountId) return { node: 'IGUser', edge };
    if (edge === 'comments') return method === 'GET' ? { node: 'PagePost', edge, returns: 'Comment' } : { node: 'Comment', edge };
    if (id === '1234567890123456') return { node: 'Lead', edge, returns: 'Lead' };
    if (method === 'DELETE') return { node: 'PagePost', edge };
    return { node: 'Campaign', edge, returns: 'Campaign' };
  }

  it('every request’s params (names, types, enum values) and requested fields', () => {
    const problems: string[] = [];
    const checked = new Set<string>();
    for (const r of harness.state.requests) {
      // Meta's codegen specs do not describe /oauth/access_token (the exchange's params are checked
      // in tokens.test.ts against Meta's "Long-lived access tokens" docs).
      if (r.path === 'oauth/access_token') continue;
      const { node, edge, returns } = route(r.method, r.path);
      checked.add(`${r.method} ${node}/${edge ?? ''}`);
      const params = r.method === 'GET' || r.method === 'DELETE' ? r.query : (r.body ?? {});
      problems.push(...spec.checkRequest(node, r.method, edge, params, r.method === 'GET' ? 'query' : 'json'));
      if (r.query.fields && returns) {
        const known = spec.fieldNames(returns);
        for (const field of r.query.fields.split(',').map((f) => f.split(/[.{]/)[0]!)) {
          if (!known.has(field)) problems.push(`${returns} has no field ${field}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect([...checked].sort()).toEqual(
      [
        'DELETE PagePost/',
        'GET AdAccount/ads',
        'GET AdAccount/adsets',
        'GET AdAccount/campaigns',
        'GET AdAccount/insights',
        'GET Campaign/',
        'GET Lead/',
        'GET Page/',
        'GET Page/insights',
        'GET Page/published_posts',
        'GET PagePost/comments',
        'POST AdAccount/campaigns',
        'POST Campaign/',
        'POST Comment/comments',
        'POST IGUser/media',
        'POST IGUser/media_publish',
        'POST Page/feed',
        'POST Page/photos',
      ].sort(),
    );
  });
});
