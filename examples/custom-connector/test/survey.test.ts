// What the contract does not cover: the stream (paging, resuming, retries), the webhook (signature,
// timestamp, payload), idempotent sends, and the fixtures against the OpenAPI description.
import { ConfigError, createTelemetry, ValidationError, WebhookVerificationError } from '@hmi/core';
import { createOpenApiValidator, createTestServer } from '@hmi/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClinicSurveyConnector, verifySurveySignature } from '../src/index.js';
import { createFakeSurveyApi, invitationFixture, signedSurveyWebhook, surveyResponseFixtures } from '../src/msw/index.js';

const baseUrl = 'https://api.clinic-survey.test';
const apiKey = 'cs_test_5b7c1d2e3f40';
const webhookSecret = 'whsec_survey_test_secret_42';
const spec = createOpenApiValidator(new URL('../openapi/clinic-survey.yaml', import.meta.url));
const server = createTestServer({ baseUrl });

beforeAll(() => server.listen());
afterEach(() => server.reset());
afterAll(() => server.close());

function setup(options: { pageSize?: number } = {}) {
  const fake = createFakeSurveyApi({ baseUrl, apiKey });
  server.use(...fake.handlers);
  const telemetry = createTelemetry();
  const events: unknown[] = [];
  telemetry.onAny((name, payload) => events.push({ name, payload }));
  const survey = createClinicSurveyConnector({ apiKey, webhookSecret, baseUrl, ...options }, { telemetry });
  return { fake, survey, events };
}

describe('fixtures', () => {
  it('validate against the OpenAPI description', () => {
    const page = { data: surveyResponseFixtures(), next_cursor: 'cG9zOjM', has_more: false };
    expect(spec.validateResponse({ method: 'GET', url: '/v1/responses', status: 200, body: page }).errors).toEqual([]);
    for (const invitation of [invitationFixture(), invitationFixture({ appointment_ref: 'APT-1', channel: 'email' })]) {
      expect(
        spec.validateResponse({ method: 'GET', url: `/v1/invitations/${invitation.id}`, status: 200, body: invitation }).errors,
      ).toEqual([]);
    }
  });

  it('a fixture the description refuses is caught (the check can fail)', () => {
    const bad = { ...invitationFixture(), status: 'lost' };
    expect(spec.validateResponse({ method: 'GET', url: '/v1/invitations/inv_1', status: 200, body: bad }).valid).toBe(false);
  });
});

describe('responses stream', () => {
  it('pages with the cursor, resumes from the checkpoint, and sends only what the spec allows', async () => {
    const { fake, survey } = setup({ pageSize: 2 });
    const pages = [];
    for await (const page of survey.streams.responses.read()) pages.push(page);
    expect(pages.map((p) => p.records.length)).toEqual([2, 1]);
    expect(pages[0]!.records[0]).toMatchObject({ id: 'rsp_1001', score: 10, language: 'ar', contactId: 'crm-contact-17' });
    expect(pages[0]!.records[0]!.comment).toBe('الطاقم كان متعاوناً جداً والانتظار قصير. شكراً لعيادة الأسنان.');
    const checkpoint = pages.at(-1)!.checkpoint;

    fake.state.submitResponse({ id: 'rsp_3001', score: 4, comment: null });
    const resumed = [];
    for await (const page of survey.streams.responses.read({ checkpoint })) resumed.push(...page.records);
    expect(resumed.map((r) => r.id)).toEqual(['rsp_3001']);

    for (const call of server.calls) spec.assertValidRequest(call);
  });

  it('rides out a 503 (the core retries the GET) and a resume at the end yields nothing new', async () => {
    const { fake, survey } = setup();
    fake.state.failNext(503, 1);
    let checkpoint: { cursor: string | null } | undefined;
    let count = 0;
    for await (const page of survey.streams.responses.read()) {
      count += page.records.length;
      checkpoint = page.checkpoint;
    }
    expect(count).toBe(3);
    expect(fake.state.requests.filter((r) => r.path.startsWith('/v1/responses'))).toHaveLength(2);
    let again = 0;
    for await (const page of survey.streams.responses.read({ checkpoint })) again += page.records.length;
    expect(again).toBe(0);
  });

  it('refuses a tampered checkpoint with a ValidationError', async () => {
    const { survey } = setup();
    const read = async () => {
      for await (const _ of survey.streams.responses.read({ checkpoint: { cursor: 42 } as never })) void _;
    };
    await expect(read()).rejects.toSatisfy(ValidationError.isInstance);
  });
});

describe('sendSurvey', () => {
  it('repeated with the same idempotency key creates one invitation', async () => {
    const { fake, survey } = setup();
    const input = { contactId: 'crm-contact-9', channel: 'email', recipient: 'layla@example.sa', language: 'en' } as const;
    const first = await survey.actions.sendSurvey(input, { idempotencyKey: 'visit-APT-7781-survey' });
    const second = await survey.actions.sendSurvey(input, { idempotencyKey: 'visit-APT-7781-survey' });
    expect(second.id).toBe(first.id);
    expect(fake.state.invitations.size).toBe(1);
    expect(fake.state.requests.map((r) => r.idempotencyKey)).toEqual(['visit-APT-7781-survey', 'visit-APT-7781-survey']);
  });
});

describe('responseSubmitted webhook', () => {
  const url = 'https://crm.hospital.example/webhooks/clinic-survey';
  const response = surveyResponseFixtures()[0]!;

  it('verifies a signed delivery and maps the response, Arabic comment intact', async () => {
    const { survey } = setup();
    const [event] = await survey.webhooks.responseSubmitted.verify(
      signedSurveyWebhook({ url, response, secret: webhookSecret, eventId: 'evt_77' }),
    );
    expect(event).toMatchObject({ id: 'evt_77', type: 'response.submitted', connector: 'clinic-survey' });
    expect(event!.data).toMatchObject({ id: 'rsp_1001', score: 10, comment: response.comment });
  });

  it('refuses a changed byte, a wrong secret and an old timestamp, without echoing the comment', async () => {
    const { survey, events } = setup();
    const signed = signedSurveyWebhook({ url, response, secret: webhookSecret });
    const body = await signed.clone().text();
    const tampered = new Request(url, { method: 'POST', headers: signed.headers, body: body.replace('"score":10', '"score":1') });
    const wrongSecret = signedSurveyWebhook({ url, response, secret: 'whsec_someone_else_entirely' });
    const old = signedSurveyWebhook({ url, response, secret: webhookSecret, timestamp: Math.floor(Date.now() / 1000) - 3600 });
    for (const request of [tampered, wrongSecret, old]) {
      const error = await survey.webhooks.responseSubmitted.verify(request).catch((e: unknown) => e);
      expect(WebhookVerificationError.isInstance(error)).toBe(true);
      expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain(response.comment!);
    }
    expect(JSON.stringify(events)).not.toContain(webhookSecret);
  });

  it('a well-signed body that is not an event is a ValidationError; no secret is a ConfigError', async () => {
    const { survey } = setup();
    const t = Math.floor(Date.now() / 1000);
    const { signSurveyPayload } = await import('../src/index.js');
    const body = JSON.stringify({ id: 'evt_1', type: 'response.deleted', created_at: 'x', data: {} });
    const request = new Request(url, {
      method: 'POST',
      headers: { 'survey-signature': signSurveyPayload(body, webhookSecret, t) },
      body,
    });
    await expect(survey.webhooks.responseSubmitted.verify(request)).rejects.toSatisfy(ValidationError.isInstance);

    const noSecret = createClinicSurveyConnector({ apiKey, baseUrl });
    const delivery = signedSurveyWebhook({ url, response, secret: webhookSecret });
    await expect(noSecret.webhooks.responseSubmitted.verify(delivery)).rejects.toSatisfy(ConfigError.isInstance);
  });

  it('verifySurveySignature never throws on malformed headers', () => {
    for (const header of [undefined, null, '', 't=', 'v1=abc', 't=abc,v1=00', '=,=', 'x'.repeat(5000)]) {
      expect(verifySurveySignature({ payload: '{}', header, secret: webhookSecret })).toBe(false);
    }
  });
});
