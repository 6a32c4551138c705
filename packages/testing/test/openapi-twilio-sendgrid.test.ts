import { describe, expect, it } from 'vitest';
import { createOpenApiValidator, createSpecCache, loadOpenApiSpec } from '@hmi/testing';
import { spec } from './helpers/specs.js';

const cache = createSpecCache();
const ACCOUNT = `AC${'0123456789abcdef'.repeat(2)}`;
const MESSAGE = `SM${'fedcba9876543210'.repeat(2)}`;

describe('OpenAPI 3.0: Twilio Messages (form bodies, templated paths)', () => {
  const twilio = createOpenApiValidator(spec('twilio/twilio_api_v2010.json'), { cache });
  const url = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages.json`;
  const headers = { authorization: 'Basic QUM6c2VjcmV0', 'content-type': 'application/x-www-form-urlencoded' };
  const send = (body: string, at = url) => twilio.validateRequest({ method: 'POST', url: at, headers, body });

  it('a valid Create Message with an Arabic body and repeated MediaUrl passes', () => {
    const body = new URLSearchParams([
      ['To', '+966555123456'],
      ['From', '+15005550006'],
      ['Body', 'موعدك غدا الساعة ١٠'],
      ['MediaUrl', 'https://cdn.hospital.test/a.png'],
      ['MediaUrl', 'https://cdn.hospital.test/b.png'],
    ]).toString();
    const result = send(body);
    expect(result.errors).toEqual([]);
    expect(result.operation).toMatchObject({
      path: '/2010-04-01/Accounts/{AccountSid}/Messages.json',
      params: { AccountSid: ACCOUNT },
    });
  });

  it('a missing required To fails', () => {
    expect(send('From=%2B15005550006&Body=hi').errors).toContainEqual({ path: 'body.To', message: 'is required' });
  });

  it('a wrong type fails (ValidityPeriod must be an integer)', () => {
    expect(send('To=%2B966555123456&ValidityPeriod=soon').errors).toContainEqual({
      path: 'body.ValidityPeriod',
      message: 'must be integer',
    });
  });

  it('an unknown enum value fails', () => {
    const result = send('To=%2B966555123456&ContentRetention=forever');
    expect(result.errors).toContainEqual({ path: 'body.ContentRetention', message: 'must be one of "retain", "discard"' });
  });

  it('a path parameter that breaks its pattern fails (AccountSid)', () => {
    const result = send('To=%2B966555123456', 'https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json');
    expect(result.errors.map((e) => e.path)).toContain('path.AccountSid');
  });

  it('Basic credentials are required', () => {
    const result = twilio.validateRequest({ method: 'GET', url, headers: {} });
    expect(result.errors).toContainEqual({
      path: 'header.authorization',
      message: expect.stringMatching(/accountSid_authToken/),
    });
  });

  it("the spec's own response example validates, nullable fields and all", () => {
    const op = loadOpenApiSpec(spec('twilio/twilio_api_v2010.json'), { cache }).paths![
      '/2010-04-01/Accounts/{AccountSid}/Messages.json'
    ]!.post as { responses: Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }> };
    const example = op.responses['201']!.content['application/json']!.examples.create!.value;
    const result = twilio.validateResponse({
      method: 'POST',
      url,
      status: 201,
      headers: { 'content-type': 'application/json' },
      body: example,
    });
    expect(result.errors).toEqual([]);
  });

  it('a response with a wrong type, an unknown status enum or an undocumented status fails', () => {
    const respond = (body: unknown, status = 201) =>
      twilio.validateResponse({ method: 'POST', url, status, headers: { 'content-type': 'application/json' }, body });
    expect(respond({ sid: MESSAGE, num_segments: 1 }).errors).toEqual([
      { path: 'body.num_segments', message: 'must be string or null' },
    ]);
    expect(respond({ sid: MESSAGE, status: 'flying' }).errors[0]!.path).toBe('body.status');
    expect(respond({ sid: MESSAGE, price: null, error_code: null }).valid).toBe(true);
    expect(respond({}, 200).errors[0]).toMatchObject({ path: 'status', message: expect.stringMatching(/documented: 201/) });
  });
});

describe('OpenAPI 3.1: SendGrid Mail Send (JSON bodies)', () => {
  const sendgrid = createOpenApiValidator(spec('sendgrid/tsg_mail_v3.json'), { cache });
  const headers = { authorization: 'Bearer SG.canary', 'content-type': 'application/json' };
  const mail = (body: unknown) =>
    sendgrid.validateRequest({ method: 'POST', url: 'https://api.sendgrid.com/v3/mail/send', headers, body });
  const valid = {
    personalizations: [{ to: [{ email: 'patient@example.test', name: 'فاطمة الحربي' }] }],
    from: { email: 'noreply@hospital.test' },
    subject: 'تذكير بالموعد',
    content: [{ type: 'text/plain', value: 'موعدك غدا' }],
    attachments: [{ content: 'aGVsbG8=', filename: 'a.txt', disposition: 'attachment' }],
  };

  it('is read as OpenAPI 3.1 and a valid mail passes', () => {
    expect(sendgrid.version).toBe('3.1');
    expect(mail(valid).errors).toEqual([]);
  });

  it('a missing required field fails', () => {
    const { from: _from, ...noFrom } = valid;
    expect(mail(noFrom).errors).toContainEqual({ path: 'body.from', message: 'is required' });
  });

  it('a wrong type fails, with a path into arrays', () => {
    const wrong = { ...valid, personalizations: [{ to: [{ email: 42 }] }] };
    expect(mail(wrong).errors).toContainEqual({ path: 'body.personalizations[0].to[0].email', message: 'must be string' });
  });

  it('an unknown enum value fails', () => {
    const wrong = { ...valid, attachments: [{ content: 'aGVsbG8=', filename: 'a.txt', disposition: 'sideways' }] };
    expect(mail(wrong).errors).toContainEqual({
      path: 'body.attachments[0].disposition',
      message: 'must be one of "inline", "attachment"',
    });
  });

  it('a JSON body that does not parse, or the wrong media type, is an issue', () => {
    expect(mail('{"personalizations": [').errors).toEqual([{ path: 'body', message: 'is not valid JSON' }]);
    const asForm = sendgrid.validateRequest({
      method: 'POST',
      url: '/v3/mail/send',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(asForm.errors[0]).toMatchObject({ path: 'header.content-type' });
  });

  it('documented error responses validate; the 202 carries no body', () => {
    const ok = sendgrid.validateResponse({ method: 'POST', url: '/v3/mail/send', status: 202 });
    expect(ok.errors).toEqual([]);
    const bad = sendgrid.validateResponse({
      method: 'POST',
      url: '/v3/mail/send',
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: { errors: [{ message: 'The from address does not match a verified Sender Identity.', field: 'from' }] },
    });
    expect(bad.errors).toEqual([]);
  });
});

describe('createOpenApiValidator: caching and options', () => {
  it('returns the same validator for the same path and cache, and parses the file once', () => {
    const a = createOpenApiValidator(spec('sendgrid/tsg_mail_v3.json'), { cache });
    const b = createOpenApiValidator(spec('sendgrid/tsg_mail_v3.json'), { cache });
    expect(a).toBe(b);
    expect([...cache.documents.keys()].filter((k) => k.endsWith('tsg_mail_v3.json'))).toHaveLength(1);
  });

  it('without a cache, validators share nothing', () => {
    const a = createOpenApiValidator(spec('sendgrid/tsg_mail_v3.json'));
    const b = createOpenApiValidator(spec('sendgrid/tsg_mail_v3.json'));
    expect(a).not.toBe(b);
    expect(a.document).not.toBe(b.document);
  });

  it('refuses a file that is not OpenAPI 3.x with a ConfigError', () => {
    expect(() => createOpenApiValidator(spec('fhir/r4/examples/Patient-example.json'))).toThrow(
      /not an OpenAPI 3\.0 or 3\.1 document/,
    );
    expect(() => createOpenApiValidator(spec('nope/missing.yaml'))).toThrow(/cannot read spec file/);
  });
});
