import { ConsentError, ValidationError } from '@hmi/core';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { MailSendBody } from '../src/msw/index.js';
import { HMI_CUSTOM_ARGS, SendGridPartialSendError } from '../src/index.js';
import { fakeSendGrid, PATIENT_EMAIL, PATIENT_NAME, useMsw } from './harness.js';
import { mailSendClosedIssues, mailSendExamples, mailSendIssues } from './mail-spec.js';

const server = useMsw();

function expectSpecValid(body: unknown) {
  expect(mailSendIssues(body)).toEqual([]);
  expect(mailSendClosedIssues(body)).toEqual([]);
}

describe('the contract test itself', () => {
  it('the spec’s own examples pass the closed schema and the fake; a misspelt field fails the closed schema', () => {
    expect(mailSendExamples.length).toBeGreaterThan(0);
    for (const example of mailSendExamples) {
      expectSpecValid(example);
      expect(MailSendBody.safeParse(example).success).toBe(true);
    }
    const bad = { ...(mailSendExamples[0] as object), customArgs: { a: 'b' } };
    expect(mailSendIssues(bad)).toEqual([]);
    expect(mailSendClosedIssues(bad).map((i) => i.path)).toContain('body.customArgs');
    expect(mailSendIssues({ personalizations: [{ to: [{ email: 'not an email' }] }], from: { email: 'a@b.co' } })).not.toEqual(
      [],
    );
  });
});

describe('sendEmail → v3 mail/send (validated against tsg_mail_v3.json)', () => {
  it('a transactional Arabic email: spec-valid body, bearer key, 202 + X-Message-Id → Message', async () => {
    const { mock, sendgrid } = fakeSendGrid(server);
    const result = await sendgrid.actions.sendEmail({
      to: { email: ` ${PATIENT_EMAIL} `, name: PATIENT_NAME, contactId: 'contact-42' },
      subject: 'تذكير بموعدك غداً',
      text: 'موعدك مع د. سارة غداً الساعة 10:00',
      html: '<p>موعدك غداً</p>',
      purpose: 'transactional',
      categories: ['reminders'],
      customArgs: { campaign: 'appt' },
    });
    expect(mock.sent).toHaveLength(1);
    const [sent] = mock.sent;
    expectSpecValid(sent!.body);
    expect(sent!.authorization).toMatch(/^Bearer SG\./);
    expect(sent!.body.content).toEqual([
      { type: 'text/plain', value: 'موعدك مع د. سارة غداً الساعة 10:00' },
      { type: 'text/html', value: '<p>موعدك غداً</p>' },
    ]);
    const p = sent!.body.personalizations[0]!;
    expect(p.to).toEqual([{ email: PATIENT_EMAIL, name: PATIENT_NAME }]);
    expect(p.custom_args).toEqual({
      campaign: 'appt',
      [HMI_CUSTOM_ARGS.purpose]: 'transactional',
      [HMI_CUSTOM_ARGS.contactId]: 'contact-42',
      [HMI_CUSTOM_ARGS.sendId]: result.sendId,
    });
    expect(sent!.body.asm).toBeUndefined();
    expect(result.batches).toEqual([{ messageId: sent!.messageId, firstIndex: 0, recipients: 1 }]);
    expect(result.messages).toEqual([
      expect.objectContaining({
        id: sent!.messageId,
        channel: 'email',
        direction: 'outbound',
        purpose: 'transactional',
        to: PATIENT_EMAIL,
        from: 'noreply@hospital.example',
        status: 'accepted',
        contactId: 'contact-42',
      }),
    ]);
  });

  it('2500 recipients → 3 requests of 1000/1000/500, one personalization per recipient, nobody sees another', async () => {
    const { mock, sendgrid } = fakeSendGrid(server);
    const to = Array.from({ length: 2500 }, (_, i) => ({ email: `p${i}@example.com`, contactId: `c${i}` }));
    const result = await sendgrid.actions.sendEmail({ to, subject: 'News', text: 'Hello', purpose: 'transactional' });
    expect(mock.sent.map((s) => s.body.personalizations.length)).toEqual([1000, 1000, 500]);
    for (const s of mock.sent) {
      expectSpecValid(s.body);
      for (const p of s.body.personalizations) expect(p.to).toHaveLength(1);
    }
    const flat = mock.sent.flatMap((s) =>
      s.body.personalizations.map((p) => [p.to[0]!.email, p.custom_args![HMI_CUSTOM_ARGS.contactId]]),
    );
    expect(flat).toEqual(to.map((r) => [r.email, r.contactId]));
    expect(result.batches.map((b) => [b.firstIndex, b.recipients])).toEqual([
      [0, 1000],
      [1000, 1000],
      [2000, 500],
    ]);
    expect(result.messages).toHaveLength(2500);
    expect(result.messages[1500]!.id).toBe(mock.sent[1]!.messageId);
    expect(new Set(mock.sent.map((s) => s.body.personalizations[0]!.custom_args![HMI_CUSTOM_ARGS.sendId])).size).toBe(1);
  });

  it('exactly 1000 recipients is one request; 1001 is two', async () => {
    const { mock, sendgrid } = fakeSendGrid(server);
    const list = (n: number) => Array.from({ length: n }, (_, i) => `r${i}@example.com`);
    await sendgrid.actions.sendEmail({ to: list(1000), subject: 's', text: 't', purpose: 'transactional' });
    expect(mock.sent).toHaveLength(1);
    await sendgrid.actions.sendEmail({ to: list(1001), subject: 's', text: 't', purpose: 'transactional' });
    expect(mock.sent.map((s) => s.body.personalizations.length)).toEqual([1000, 1000, 1]);
  });

  it('dynamic templates: template_id and per-recipient dynamic_template_data merged over the shared data', async () => {
    const { mock, sendgrid } = fakeSendGrid(server);
    await sendgrid.actions.sendEmail({
      to: [{ email: 'a@example.com', dynamicTemplateData: { name: 'علي' } }, 'b@example.com'],
      subject: 'Results',
      templateId: 'd-0123456789abcdef',
      dynamicTemplateData: { clinic: 'Cardiology', name: 'Patient' },
      purpose: 'transactional',
      sandbox: true,
    });
    const body = mock.sent[0]!.body;
    expectSpecValid(body);
    expect(body.template_id).toBe('d-0123456789abcdef');
    expect(body.content).toBeUndefined();
    expect(body.mail_settings).toEqual({ sandbox_mode: { enable: true } });
    expect(body.personalizations.map((p) => p.dynamic_template_data)).toEqual([
      { clinic: 'Cardiology', name: 'علي' },
      { clinic: 'Cardiology', name: 'Patient' },
    ]);
  });

  it('an internationalised domain is sent in its ASCII (punycode) form', async () => {
    const { mock, sendgrid } = fakeSendGrid(server);
    await sendgrid.actions.sendEmail({ to: 'info@مستشفى.com', subject: 's', text: 't', purpose: 'transactional' });
    expect(mock.sent[0]!.body.personalizations[0]!.to[0]!.email).toMatch(/^info@xn--[a-z0-9-]+\.com$/);
    expectSpecValid(mock.sent[0]!.body);
  });

  it.each([
    ['no content', { html: undefined, text: undefined }, 'html'],
    ['bad address', { to: 'not-an-address' }, 'to'],
    ['duplicate recipients', { to: ['a@example.com', 'A@example.com'] }, 'to'],
    ['template data without a dynamic template', { dynamicTemplateData: { a: 1 } }, 'templateId'],
    ['11 categories', { categories: Array.from({ length: 11 }, (_, i) => `c${i}`) }, 'categories'],
    ['repeated categories', { categories: ['a', 'a'] }, 'categories'],
    ['a line break in the subject', { subject: 'a\r\nBcc: x@evil.example' }, 'subject'],
    ['a reserved custom arg', { customArgs: { hmi_purpose: 'transactional' } }, 'customArgs'],
  ])('%s → ValidationError naming the field, zero requests', async (_, patch, field) => {
    const { mock, sendgrid } = fakeSendGrid(server);
    const error = await sendgrid.actions
      .sendEmail({ to: 'a@example.com', subject: 's', text: 't', purpose: 'transactional', ...patch } as never)
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues.some((i) => i.path[0] === field)).toBe(true);
    expect(mock.requestCount).toBe(0);
  });
});

describe('consent first: marketing email', () => {
  const marketing = { subject: 'عرض خاص', html: '<p>فحص مجاني</p>', purpose: 'marketing' as const, asmGroupId: 321 };

  it('without an unsubscribe group → ValidationError (CAN-SPAM) before the consent check and before any request', async () => {
    const check = vi.fn(async () => true);
    const { mock, sendgrid } = fakeSendGrid(server, { consent: { check } });
    const error = await sendgrid.actions
      .sendEmail({ ...marketing, asmGroupId: undefined, to: PATIENT_EMAIL })
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues[0]!.path).toEqual(['asmGroupId']);
    expect(check).not.toHaveBeenCalled();
    expect(mock.requestCount).toBe(0);
  });

  it('refused → ConsentError and ZERO HTTP requests (counted at the fake and at the transport)', async () => {
    const check = vi.fn(async () => false);
    let transportCalls = 0;
    const countingFetch: typeof fetch = (input, init) => {
      transportCalls++;
      return fetch(input, init);
    };
    const { mock, sendgrid } = fakeSendGrid(server, { consent: { check } }, countingFetch);
    const error = await sendgrid.actions
      .sendEmail({ ...marketing, to: PATIENT_EMAIL, contactId: 'c-9' })
      .catch((e: unknown) => e);
    expect(ConsentError.isInstance(error)).toBe(true);
    expect((error as ConsentError).reason).toBe('no_consent');
    expect(check).toHaveBeenCalledWith({ recipient: PATIENT_EMAIL, channel: 'email', purpose: 'marketing', contactId: 'c-9' });
    expect(mock.requestCount).toBe(0);
    expect(transportCalls).toBe(0);
    // The counter does see this connector's requests: a transactional send right after is one call.
    await sendgrid.actions.sendEmail({ ...marketing, purpose: 'transactional', to: PATIENT_EMAIL });
    expect(transportCalls).toBe(1);
    expect(mock.requestCount).toBe(1);
  });

  it('no consent checker configured → ConsentError, zero requests; a throwing checker fails closed', async () => {
    const a = fakeSendGrid(server);
    await expect(a.sendgrid.actions.sendEmail({ ...marketing, to: 'a@example.com' })).rejects.toMatchObject({
      code: 'consent_denied',
      reason: 'no_consent_checker',
    });
    expect(a.mock.requestCount).toBe(0);
    const b = fakeSendGrid(server, {
      consent: {
        check: () => {
          throw new Error('db down');
        },
      },
    });
    await expect(b.sendgrid.actions.sendEmail({ ...marketing, to: 'a@example.com' })).rejects.toMatchObject({
      reason: 'check_failed',
    });
    expect(b.mock.requestCount).toBe(0);
  });

  it('one refusal among many recipients stops the whole send before any request, naming the position only', async () => {
    const { mock, sendgrid } = fakeSendGrid(server, { consent: { check: ({ recipient }) => recipient !== 'p1500@example.com' } });
    const to = Array.from({ length: 2000 }, (_, i) => `p${i}@example.com`);
    const error = await sendgrid.actions.sendEmail({ ...marketing, to }).catch((e: unknown) => e);
    expect(ConsentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('to.1500');
    expect((error as Error).message).not.toContain('p1500@');
    expect(mock.requestCount).toBe(0);
  });

  it('quiet hours in the recipient’s time zone refuse marketing, zero requests', async () => {
    const { mock, sendgrid } = fakeSendGrid(server, {
      consent: { check: async () => ({ allowed: true, timeZone: 'Asia/Riyadh' }), quietHours: { start: '00:00', end: '23:59' } },
    });
    await expect(sendgrid.actions.sendEmail({ ...marketing, to: 'a@example.com' })).rejects.toMatchObject({
      reason: 'quiet_hours',
    });
    expect(mock.requestCount).toBe(0);
  });

  it('allowed → sent with asm.group_id and purpose marketing in custom_args; transactional never asks', async () => {
    const check = vi.fn(async () => true);
    const { mock, sendgrid } = fakeSendGrid(server, { consent: { check } });
    await sendgrid.actions.sendEmail({ ...marketing, to: ['a@example.com', 'b@example.com'] });
    expect(check).toHaveBeenCalledTimes(2);
    const body = mock.sent[0]!.body;
    expectSpecValid(body);
    expect(body.asm).toEqual({ group_id: 321 });
    expect(body.personalizations.every((p) => p.custom_args![HMI_CUSTOM_ARGS.purpose] === 'marketing')).toBe(true);
    await sendgrid.actions.sendEmail({ to: 'c@example.com', subject: 's', text: 't', purpose: 'transactional' });
    expect(check).toHaveBeenCalledTimes(2);
    expect(mock.sent).toHaveLength(2);
  });
});

describe('failures part-way and the fake itself', () => {
  it('a failure on the second request → SendGridPartialSendError listing the accepted recipients; nothing after is sent', async () => {
    const { mock, sendgrid } = fakeSendGrid(server);
    let calls = 0;
    server.use(
      http.post('https://api.sendgrid.com/v3/mail/send', async () => {
        calls++;
        if (calls === 2) return HttpResponse.json({ errors: [{ message: 'internal server error' }] }, { status: 500 });
        return new HttpResponse(null, { status: 202, headers: { 'X-Message-Id': `mid${calls}` } });
      }),
    );
    const to = Array.from({ length: 2500 }, (_, i) => `p${i}@example.com`);
    const error = await sendgrid.actions
      .sendEmail({ to, subject: 's', text: 't', purpose: 'transactional' })
      .catch((e: unknown) => e);
    expect(SendGridPartialSendError.isInstance(error)).toBe(true);
    const partial = error as SendGridPartialSendError;
    expect(partial.accepted).toEqual([{ messageId: 'mid1', firstIndex: 0, recipients: 1000 }]);
    expect(partial.acceptedIndexes).toHaveLength(1000);
    expect(partial.acceptedIndexes.at(-1)).toBe(999);
    expect(partial.retryable).toBe(false);
    expect(calls).toBe(2);
    expect(mock.requestCount).toBe(0);
  });

  it('a 202 without X-Message-Id is still a success (the email went out), with a generated id', async () => {
    const { sendgrid } = fakeSendGrid(server);
    server.use(http.post('https://api.sendgrid.com/v3/mail/send', () => new HttpResponse(null, { status: 202 })));
    const result = await sendgrid.actions.sendEmail({ to: 'a@example.com', subject: 's', text: 't', purpose: 'transactional' });
    expect(result.messages[0]!.id).toBe(`hmi-${result.sendId}-0`);
  });

  it('the fake refuses a wrong key (401) and a malformed body (400), as SendGrid does', async () => {
    const { mock } = fakeSendGrid(server);
    const post = (body: unknown, key = 'SG.wrong') =>
      fetch('https://api.sendgrid.com/v3/mail/send', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({})).status).toBe(401);
    const { API_KEY } = await import('./harness.js');
    const bad = await post({ personalizations: [], from: { email: 'x' } }, API_KEY);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
    expect(mock.sent).toHaveLength(0);
    expect(mock.requestCount).toBe(2);
  });
});
