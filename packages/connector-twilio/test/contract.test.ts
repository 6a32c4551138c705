import { FIXTURE_ACCOUNT_SID, FIXTURE_MESSAGING_SERVICE_SID, rfc2822, twilioMessageFixture } from '@hmi/connector-twilio/msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, connectorFor, startFakeTwilio } from './harness.js';
import {
  specExamples,
  validateCreateMessageForm,
  validateFetchedMessage,
  validateListMessagesQuery,
  validateMessagePage,
  validateMessageResource,
} from './twilio-spec.js';

const NOW = new Date('2026-03-01T09:00:00Z');
let fake: ReturnType<typeof startFakeTwilio>;
// Every response the fake sends, to check it against the spec's response schemas.
const responses: Array<{ method: string; path: string; status: number; body: unknown }> = [];

beforeAll(() => {
  fake = startFakeTwilio({ now: () => NOW });
  fake.server.events.on('response:mocked', async ({ request, response }) => {
    const url = new URL(request.url);
    responses.push({ method: request.method, path: url.pathname, status: response.status, body: await response.clone().json() });
  });
});
afterEach(() => {
  fake.server.resetHandlers();
  fake.calls.length = 0;
  fake.requests.length = 0;
  responses.length = 0;
  fake.state.messages.clear();
});
afterAll(() => fake.close());

describe('the spec validator itself', () => {
  it('accepts Twilio’s own examples', () => {
    const creates = specExamples('messages', 'post', '201');
    const lists = specExamples('messages', 'get', '200');
    expect(creates.length).toBeGreaterThan(3);
    expect(lists.length).toBeGreaterThan(0);
    for (const example of creates) expect(validateMessageResource(example).errors).toEqual([]);
    for (const example of lists) expect(validateMessagePage(example).errors).toEqual([]);
  });

  it('rejects broken data (so a pass means something)', () => {
    expect(validateMessageResource({ ...twilioMessageFixture(), status: 'teleported' }).valid).toBe(false);
    expect(validateMessageResource({ ...twilioMessageFixture(), sid: 'XX1' }).valid).toBe(false);
    expect(validateMessageResource({ ...twilioMessageFixture(), date_created: '2026-03-01T08:30:00Z' }).valid).toBe(false);
    expect(validateMessageResource({ ...twilioMessageFixture(), error_code: '30003' }).valid).toBe(false);
    expect(validateCreateMessageForm('Body=hi').valid).toBe(false); // To is required
    expect(validateCreateMessageForm('To=%2B966555123456&Body=hi&Sendat=2026-03-02T06%3A00%3A00Z').valid).toBe(false);
    expect(validateCreateMessageForm('To=%2B966555123456&ScheduleType=later').valid).toBe(false);
    expect(validateCreateMessageForm('To=%2B966555123456&MessagingServiceSid=MG1').valid).toBe(false);
    expect(validateCreateMessageForm('To=%2B966555123456&SendAt=tomorrow').valid).toBe(false);
    expect(validateListMessagesQuery('PageSize=5000').valid).toBe(false);
    expect(validateListMessagesQuery('DateSentAfter=2026-01-01').valid).toBe(false);
  });
});

describe('requests the connector sends match Twilio’s OpenAPI description', () => {
  it('Create Message form bodies: SMS, Arabic, sender ID, status callback, scheduling', async () => {
    const withService = connectorFor(fake, { now: () => NOW, statusCallbackUrl: 'https://crm.hospital.sa/twilio/status' });
    const withSender = connectorFor(fake, { from: 'KFSH', messagingServiceSid: undefined });
    const withNumber = connectorFor(fake, { from: '0112345678', messagingServiceSid: undefined });
    await withService.actions.sendSms({ to: '0555123456', body: 'موعدكم غداً 10:30 👍', purpose: 'transactional' });
    await withService.actions.sendSms({
      to: '+971501234567',
      body: 'Reminder & details: https://h.example/a?b=c',
      purpose: 'transactional',
      scheduleAt: new Date('2026-03-05T06:00:00Z'),
    });
    await withSender.actions.sendSms({ to: '+201001234567', body: 'x', purpose: 'transactional' });
    await withNumber.actions.sendSms({ to: '+966555123456', body: 'y', purpose: 'transactional' });
    await withService.actions.sendTemplatedSms({
      to: '0555123456',
      template: { ar: 'مرحباً {{name}}', en: 'Hello {{name}}' },
      vars: { name: 'Sara' },
      languages: ['ar'],
      purpose: 'transactional',
    });
    const posts = fake.requests.filter((r) => r.method === 'POST');
    expect(posts.length).toBe(5);
    for (const post of posts) {
      const result = validateCreateMessageForm(post.rawBody ?? '');
      expect(result.errors, post.rawBody).toEqual([]);
    }
    expect(posts.map((p) => Object.keys(p.form ?? {}).sort())).toContainEqual(
      ['Body', 'MessagingServiceSid', 'ScheduleType', 'SendAt', 'StatusCallback', 'To'].sort(),
    );
  });

  it('List Messages queries', async () => {
    fake.state.seed({ status: 'delivered', date_sent: rfc2822(NOW) });
    const twilio = connectorFor(fake, { defaultRegion: 'SA' });
    const filters = [
      {},
      { sentOn: '2026-03-01' },
      { sentOnOrAfter: '2026-02-01', sentOnOrBefore: '2026-03-01', to: '0555123456', from: 'KFSH', pageSize: 1000 },
      { from: '+966112345678', pageSize: 1 },
    ];
    for (const filter of filters) {
      for await (const _ of twilio.streams.listMessages.read({ checkpoint: { filter } })) {
        // drain
      }
    }
    const gets = fake.calls.filter((c) => c.method === 'GET');
    expect(gets.length).toBe(filters.length);
    for (const get of gets) {
      const result = validateListMessagesQuery(new URL(get.url).search);
      expect(result.errors, get.url).toEqual([]);
    }
  });
});

describe('the fake’s responses and fixtures match Twilio’s OpenAPI description', () => {
  it('hand-written fixtures', () => {
    const fixtures = [
      twilioMessageFixture(),
      twilioMessageFixture({ status: 'delivered', date_sent: rfc2822(NOW), price: '-0.05000' }),
      twilioMessageFixture({ status: 'undelivered', error_code: 30003, error_message: 'Unreachable destination handset' }),
      twilioMessageFixture({
        direction: 'inbound',
        status: 'received',
        body: 'إيقاف',
        from: '+966555123456',
        to: '+966112345678',
      }),
      twilioMessageFixture({
        messaging_service_sid: FIXTURE_MESSAGING_SERVICE_SID,
        from: null,
        status: 'scheduled',
        num_segments: '0',
      }),
      twilioMessageFixture({ to: 'whatsapp:+966555123456', status: 'read' }),
    ];
    for (const fixture of fixtures) expect(validateMessageResource(fixture).errors).toEqual([]);
  });

  it('create, fetch (through the status progression) and list responses', async () => {
    const twilio = connectorFor(fake, { from: '+966112345678', messagingServiceSid: undefined });
    const sent = await twilio.actions.sendSms({ to: '0555123456', body: 'تذكير بالموعد', purpose: 'transactional' });
    for (let i = 0; i < 4; i++) await twilio.actions.getMessage({ sid: sent.id });
    for (let i = 0; i < 3; i++) await twilio.actions.sendSms({ to: '0555123456', body: `m${i}`, purpose: 'transactional' });
    for await (const _ of twilio.streams.listMessages.read({ checkpoint: { filter: { pageSize: 2 } } })) {
      // drain
    }
    const ok = responses.filter((r) => r.status < 400);
    expect(ok.filter((r) => r.method === 'POST')).toHaveLength(4);
    expect(ok.filter((r) => r.path.endsWith(`${sent.id}.json`))).toHaveLength(4);
    expect(ok.filter((r) => r.path.endsWith('/Messages.json') && r.method === 'GET')).toHaveLength(2);
    for (const r of ok) {
      const result =
        r.method === 'POST'
          ? validateMessageResource(r.body)
          : r.path.endsWith('/Messages.json')
            ? validateMessagePage(r.body)
            : validateFetchedMessage(r.body);
      expect(result.errors, `${r.method} ${r.path}`).toEqual([]);
    }
  });

  it('the fake routes only this account and answers errors in Twilio’s shape', async () => {
    const other = await fetch(`${BASE_URL}/2010-04-01/Accounts/AC${'f'.repeat(32)}/Messages.json`);
    expect(other.status).toBe(401); // wrong (absent) credentials are checked first, as Twilio does
    const body = (await other.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['code', 'message', 'more_info', 'status']);
    expect(body.code).toBe(20003);
    expect(FIXTURE_ACCOUNT_SID).toMatch(/^AC[0-9a-f]{32}$/);
  });
});
