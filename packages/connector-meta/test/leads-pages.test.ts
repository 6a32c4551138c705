import { FIXTURE_IDS, signedLeadgenWebhook } from '@hmi/connector-meta/msw';
import { createTelemetry, ValidationError } from '@hmi/core';
import { Lead } from '@hmi/core/schemas';
import { expectNoLeaks } from '@hmi/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN, APP_SECRET, collect, connectorFor, rejection, startFakeGraph } from './harness.js';

describe('Lead Ads', () => {
  let harness: ReturnType<typeof startFakeGraph>;
  afterEach(() => harness.close());

  it('turns a signed leadgen delivery into a canonical Lead with answers and consents, PHI kept out of telemetry', async () => {
    harness = startFakeGraph();
    const telemetry = createTelemetry();
    const seen: string[] = [];
    telemetry.onAny((name: string, payload: unknown) => seen.push(`${name} ${JSON.stringify(payload)}`));
    const meta = connectorFor(harness, {}, telemetry);
    const [event] = await meta.webhooks.events.verify(
      signedLeadgenWebhook({ url: 'https://crm.hospital.sa/hooks/meta', appSecret: APP_SECRET }),
    );
    const data = event!.data as { leadId: string; pageId: string };
    const lead = Lead.parse(await meta.actions.getLead({ leadId: data.leadId, pageId: data.pageId }));
    expect(lead).toMatchObject({
      id: '1234567890123456',
      formId: FIXTURE_IDS.formId,
      pageId: FIXTURE_IDS.pageId,
      campaignId: '23850000000000001',
      adSetId: '23850000000000002',
      adId: '23850000000000003',
      organic: false,
      createdAt: '2026-12-03T09:15:42.000Z',
      consents: [
        { key: 'marketing_whatsapp', accepted: true },
        { key: 'marketing_sms', accepted: false },
      ],
    });
    expect(lead.answers).toContainEqual({ name: 'full_name', values: ['فاطمة عبدالله الزهراني'] });
    const request = harness.state.requests.at(-1)!;
    expect(request.path).toBe('1234567890123456');
    expect(request.query.fields?.split(',')).toContain('custom_disclaimer_responses');
    expect(seen.length).toBeGreaterThan(0);
    expectNoLeaks(seen, ['فاطمة', '+966551234567', ACCESS_TOKEN]);
  });
});

describe('Lead Ads in Graph batches', () => {
  let harness: ReturnType<typeof startFakeGraph>;
  afterEach(() => harness.close());

  it('reads 60 leads in two calls and lists the one Meta does not know', async () => {
    harness = startFakeGraph();
    for (let i = 0; i < 59; i++) {
      const id = String(2000000000000000 + i);
      harness.state.leads.set(id, { ...harness.state.leads.get('1234567890123456')!, id });
    }
    const meta = connectorFor(harness);
    const ids = [...harness.state.leads.keys(), '9999999999999999'];
    const { leads, failed } = await meta.actions.getLeads({ leadIds: ids });
    expect(leads).toHaveLength(60);
    expect(failed).toEqual([{ leadId: '9999999999999999', code: '100/33', retryable: false }]);
    const calls = harness.state.requests;
    expect(calls.map((r) => [r.method, r.path, (r.body?.batch as unknown[] | undefined)?.length])).toEqual([
      ['POST', '', 50],
      ['POST', '', 11],
    ]);
  });
});

describe('Pages: publishing with the PHI guard', () => {
  let harness: ReturnType<typeof startFakeGraph>;
  afterEach(() => harness.close());
  const patient = { names: ['فاطمة عبدالله الزهراني'], phones: ['+966 55 123 4567'], mrns: ['MRN-00912'] };

  it.each([
    ['her name with other spelling', 'نتمنى الشفاء العاجل لفاطمه الزهرانى'.replace('لفاطمه', 'فاطمه')],
    ['a name part', 'Get well soon Fatima! شكرا الزهراني'],
    ['her phone with Arabic-Indic digits', 'اتصلي على ٠٥٥١٢٣٤٥٦٧'],
    ['her MRN', 'Your file mrn 00912 is ready'],
  ])('refuses a post naming the patient (%s) before any request', async (_label, text) => {
    harness = startFakeGraph();
    const meta = connectorFor(harness);
    const error = await rejection(meta.actions.publishPost({ text, knownPatient: patient }));
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).code).toBe('phi_refused');
    expect(JSON.stringify((error as ValidationError).toJSON())).not.toContain('الزهراني');
    expect(harness.calls).toHaveLength(0);
  });

  it('publishes a text, a link, a scheduled photo, an Instagram photo, and deletes a post', async () => {
    harness = startFakeGraph();
    const meta = connectorFor(harness);
    const text = await meta.actions.publishPost({ text: 'فحص مجاني للسكري هذا الأسبوع', knownPatient: patient });
    expect(text).toMatchObject({ platform: 'facebook', status: 'published' });
    await meta.actions.publishPost({ text: 'Open day', link: 'https://hospital.sa/open-day' });
    const scheduled = await meta.actions.publishPost({
      text: 'Soon',
      photoUrl: 'https://cdn.hospital.sa/p.jpg',
      scheduledAt: '2026-12-04T10:00:00Z',
    });
    expect(scheduled.status).toBe('scheduled');
    const ig = await meta.actions.publishPost({ platform: 'instagram', text: 'صورة', photoUrl: 'https://cdn.hospital.sa/p.jpg' });
    expect(ig.platform).toBe('instagram');
    const posts = harness.state.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.path)).toEqual([
      `${FIXTURE_IDS.pageId}/feed`,
      `${FIXTURE_IDS.pageId}/feed`,
      `${FIXTURE_IDS.pageId}/photos`,
      `${FIXTURE_IDS.instagramAccountId}/media`,
      `${FIXTURE_IDS.instagramAccountId}/media_publish`,
    ]);
    expect(posts[2]!.body).toMatchObject({ published: false, scheduled_publish_time: Date.parse('2026-12-04T10:00:00Z') / 1000 });
    expect(await meta.actions.deletePost({ postId: text.id })).toEqual({ deleted: true });
  });

  it('refuses a schedule outside Meta’s window and an Instagram post without a photo, before any request', async () => {
    harness = startFakeGraph();
    const meta = connectorFor(harness);
    expect(
      ValidationError.isInstance(await rejection(meta.actions.publishPost({ text: 'x', scheduledAt: '2026-12-03T10:05:00Z' }))),
    ).toBe(true);
    expect(ValidationError.isInstance(await rejection(meta.actions.publishPost({ platform: 'instagram', text: 'x' })))).toBe(
      true,
    );
    expect(harness.calls).toHaveLength(0);
  });
});

describe('Pages: engagement, comments and replies', () => {
  let harness: ReturnType<typeof startFakeGraph>;
  afterEach(() => harness.close());

  it('streams posts, their engagement, and comments as inbound social messages', async () => {
    harness = startFakeGraph();
    const meta = connectorFor(harness);
    const posts = await collect(meta.streams.posts.read());
    expect(posts.map((p) => p.status)).toEqual(['published', 'published']);
    const metrics = await collect(meta.streams.postEngagement.read());
    expect(metrics).toContainEqual(expect.objectContaining({ subjectId: posts[0]!.id, metric: 'reactions', value: 512 }));
    expect(metrics).toContainEqual(expect.objectContaining({ subjectId: posts[0]!.id, metric: 'shares', value: 41 }));
    const comments = await collect(meta.streams.comments.read({ checkpoint: { postId: posts[0]!.id, after: null } }));
    expect(comments).toEqual([
      expect.objectContaining({
        channel: 'social',
        direction: 'inbound',
        status: 'received',
        from: '6500000000000001',
        to: posts[0]!.id,
      }),
    ]);
    expect(JSON.stringify(comments)).not.toContain('Commenter Name');
  });

  it('streams the Page’s daily impressions, reach and engagements', async () => {
    harness = startFakeGraph();
    const meta = connectorFor(harness);
    const metrics = await collect(meta.streams.pageInsights.read({ checkpoint: { since: '2026-11-30', until: '2026-12-02' } }));
    expect(metrics.filter((m) => m.metric === 'reach').map((m) => [m.value, m.periodEnd])).toEqual([
      [3900, '2026-12-01T08:00:00.000Z'],
      [4200, '2026-12-02T08:00:00.000Z'],
    ]);
    expect(metrics.map((m) => m.metric).sort()).toEqual([
      'impressions',
      'impressions',
      'post_engagements',
      'post_engagements',
      'reach',
      'reach',
    ]);
    expect(harness.state.requests.at(-1)!.query).toMatchObject({ period: 'day', since: '2026-11-30', until: '2026-12-02' });
  });

  it('replies to a health comment with the private-contact template unless overridden', async () => {
    harness = startFakeGraph();
    const meta = connectorFor(harness);
    const commentId = '900000000000001_700000000000001';
    const templated = await meta.actions.replyToComment({ commentId, text: 'Chest pain needs an ECG', language: 'ar' });
    expect(templated.templated).toBe(true);
    expect(harness.state.requests.at(-1)!.body?.message).toMatch(/التواصل معنا/);
    await meta.actions.replyToComment({ commentId, language: 'en' });
    expect(harness.state.requests.at(-1)!.body?.message).toMatch(/contact us privately/);
    const custom = await meta.actions.replyToComment({
      commentId,
      text: 'Our cardiology clinic opens at 8.',
      overrideTemplate: true,
    });
    expect(custom.templated).toBe(false);
    expect(harness.state.requests.at(-1)!.body?.message).toBe('Our cardiology clinic opens at 8.');
    const before = harness.calls.length;
    const error = await rejection(
      meta.actions.replyToComment({
        commentId,
        text: 'Ahmed, call 0551234567',
        overrideTemplate: true,
        knownPatient: { phones: ['+966551234567'] },
      }),
    );
    expect((error as ValidationError).code).toBe('phi_refused');
    expect(harness.calls.length).toBe(before);
  });
});

describe('Marketing API', () => {
  let harness: ReturnType<typeof startFakeGraph>;
  afterEach(() => harness.close());

  it('streams campaigns, creates one paused, resumes and pauses it', async () => {
    harness = startFakeGraph();
    const meta = connectorFor(harness);
    const campaigns = await collect(meta.streams.campaigns.read());
    expect(campaigns.map((c) => [c.channel, c.status])).toEqual([
      ['ads', 'active'],
      ['ads', 'paused'],
    ]);
    const created = await meta.actions.createCampaign({ name: 'حملة الأسنان', objective: 'OUTCOME_LEADS' });
    expect(created.status).toBe('paused');
    expect(harness.state.requests.at(-1)!.body).toMatchObject({ status: 'PAUSED', special_ad_categories: [] });
    expect((await meta.actions.setCampaignStatus({ campaignId: created.id, status: 'active' })).status).toBe('active');
    expect((await meta.actions.setCampaignStatus({ campaignId: created.id, status: 'paused' })).status).toBe('paused');
  });
});
