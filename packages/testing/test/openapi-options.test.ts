import { createOpenApiValidator } from '@hmi/testing';
import { describe, expect, it } from 'vitest';
import { spec } from './helpers/specs.js';

const url = 'https://api.sendgrid.com/v3/mail/send';
const headers = { authorization: 'Bearer SG.x', 'content-type': 'application/json' };
const body = {
  personalizations: [{ to: [{ email: 'a@example.com' }] }],
  from: { email: 'b@example.com' },
  subject: 's',
  content: [{ type: 'text/plain', value: 'v' }],
};

describe('OpenAPI validator options', () => {
  it('closeObjects turns a misspelt field in an open description into an error', () => {
    const open = createOpenApiValidator(spec('sendgrid/tsg_mail_v3.json'));
    const closed = createOpenApiValidator(spec('sendgrid/tsg_mail_v3.json'), { closeObjects: true });
    const typo = { ...body, customArgs: { a: 'b' } };
    expect(open.validateRequest({ method: 'POST', url, headers, body: typo }).errors).toEqual([]);
    expect(closed.validateRequest({ method: 'POST', url, headers, body: typo }).errors).toContainEqual({
      path: 'body.customArgs',
      message: 'is not allowed here (unknown property)',
    });
    expect(closed.validateRequest({ method: 'POST', url, headers, body }).errors).toEqual([]);
  });

  it('formats adds vendor formats; validateComponent checks one schema', () => {
    const twilio = (phone: RegExp) =>
      createOpenApiValidator(spec('twilio/twilio_api_v2010.json'), { formats: { 'phone-number': phone } });
    const request = {
      method: 'POST',
      url: 'https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json',
      headers: { authorization: 'Basic eDp5', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'To=not-a-phone&Body=hi',
    };
    expect(
      twilio(/^\+\d+$/)
        .validateRequest(request)
        .errors.map((e) => e.path),
    ).toContain('body.To');
    expect(twilio(/./).validateRequest(request).errors).toEqual([]);
    const sendgrid = createOpenApiValidator(spec('sendgrid/tsg_mail_v3.json'));
    expect(sendgrid.validateComponent('ErrorResponse', { errors: [{ field: null, message: 'm' }] }).valid).toBe(true);
    expect(sendgrid.validateComponent('ErrorResponse', { errors: 'nope' }).valid).toBe(false);
    expect(() => sendgrid.validateComponent('NoSuchSchema', {})).toThrow(/no schema/);
  });
});
