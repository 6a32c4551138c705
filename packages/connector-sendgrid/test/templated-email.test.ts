import { ConsentError, ValidationError } from '@hmi/core';
import { describe, expect, it, vi } from 'vitest';
import { directionOf, renderBilingualEmail, sendTemplatedEmail, withDirection } from '../src/index.js';
import { fakeSendGrid, PATIENT_NAME, useMsw } from './harness.js';
import { mailSendClosedIssues, mailSendIssues } from './mail-spec.js';

const server = useMsw();
const FSI = '\u2068';
const PDI = '\u2069';

const template = {
  subject: { ar: 'تذكير بموعدك يا {{name}}', en: 'Your appointment reminder, {{name}}' },
  html: { ar: '<p>موعدك مع {{doctor}} في {{time}}</p>', en: '<p>You see {{doctor}} at {{time}}</p>' },
  text: { ar: 'موعدك مع {{doctor}} في {{time}}', en: 'You see {{doctor}} at {{time}}' },
};

describe('renderBilingualEmail', () => {
  it('Arabic: lang="ar" dir="rtl" on the document, Latin values isolated, HTML values escaped', () => {
    const r = renderBilingualEmail(template, 'ar', { name: PATIENT_NAME, doctor: 'Dr. <b>Smith</b>', time: '10:00' });
    expect(r.dir).toBe('rtl');
    expect(r.subject).toBe(`تذكير بموعدك يا ${PATIENT_NAME}`);
    expect(r.html).toMatch(/^<!DOCTYPE html><html lang="ar" dir="rtl">/);
    expect(r.html).toContain('<body dir="rtl"');
    expect(r.html).toContain(`${FSI}Dr. &lt;b&gt;Smith&lt;/b&gt;${PDI}`);
    expect(r.html).not.toContain('<b>Smith');
    expect(r.text).toBe(`موعدك مع ${FSI}Dr. <b>Smith</b>${PDI} في ${FSI}10:00${PDI}`);
  });

  it('English: ltr, no isolates; a full document keeps its markup and gets lang/dir replaced', () => {
    const r = renderBilingualEmail(template, 'en', { name: 'Ali', doctor: 'Dr. Smith', time: '10:00' });
    expect(r.dir).toBe('ltr');
    expect(r.html).toContain('<html lang="en" dir="ltr">');
    expect(r.text).toBe('You see Dr. Smith at 10:00');
    expect(withDirection('<html lang="en" dir="ltr" class="x"><body>مرحبا</body></html>', 'ar', 'rtl')).toBe(
      '<html lang="ar" dir="rtl" class="x"><body>مرحبا</body></html>',
    );
    expect(directionOf('ar-SA')).toBe('rtl');
    expect(directionOf('en-GB')).toBe('ltr');
  });

  it('a missing variable is a ValidationError, not an empty hole', () => {
    expect(() => renderBilingualEmail(template, 'ar', { name: 'x' })).toThrow(ValidationError);
  });
});

describe('sendTemplatedEmail', () => {
  it('groups recipients by language: one spec-valid request per language, Arabic rtl, messages in input order', async () => {
    const { mock, sendgrid } = fakeSendGrid(server);
    const result = await sendTemplatedEmail(sendgrid, {
      to: [
        { email: 'a@example.com', languages: ['ar-SA'], contactId: 'c1' },
        { email: 'b@example.com', languages: ['en', 'ar'], contactId: 'c2' },
        { email: 'c@example.com', languages: ['fr'] },
        { email: 'd@example.com', languages: ['en-GB'] },
      ],
      template,
      vars: { name: 'مريضنا', doctor: 'د. سارة', time: '10:00' },
      purpose: 'transactional',
    });
    expect(mock.sent).toHaveLength(2);
    for (const s of mock.sent) {
      expect(mailSendIssues(s.body)).toEqual([]);
      expect(mailSendClosedIssues(s.body)).toEqual([]);
    }
    const ar = mock.sent.find((s) => s.body.subject?.startsWith('تذكير'))!;
    const en = mock.sent.find((s) => s.body.subject?.startsWith('Your'))!;
    expect(ar.body.personalizations.map((p) => p.to[0]!.email)).toEqual(['a@example.com', 'c@example.com']); // fr → fallback ar
    expect(en.body.personalizations.map((p) => p.to[0]!.email)).toEqual(['b@example.com', 'd@example.com']);
    expect(ar.body.content!.find((c) => c.type === 'text/html')!.value).toContain('dir="rtl"');
    expect(en.body.content!.find((c) => c.type === 'text/html')!.value).toContain('dir="ltr"');
    expect(result.messages.map((m) => m.to)).toEqual(['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com']);
    expect(result.messages[0]!.contactId).toBe('c1');
    expect(result.languages.map((l) => [l.language, l.recipientIndexes])).toEqual([
      ['ar', [0, 2]],
      ['en', [1, 3]],
    ]);
  });

  it('a single recipient with languages and fallbackLanguage en', async () => {
    const { mock, sendgrid } = fakeSendGrid(server);
    await sendgrid.actions.sendTemplatedEmail({
      to: 'x@example.com',
      languages: ['de'],
      fallbackLanguage: 'en',
      template,
      vars: { name: 'Ali', doctor: 'Dr. Smith', time: '10:00' },
      purpose: 'transactional',
    });
    expect(mock.sent[0]!.body.subject).toBe('Your appointment reminder, Ali');
  });

  it('marketing: the consent gate runs for every language group before the first request', async () => {
    const check = vi.fn(async ({ recipient }: { recipient: string }) => recipient !== 'b@example.com');
    const { mock, sendgrid } = fakeSendGrid(server, { consent: { check } });
    const error = await sendgrid.actions
      .sendTemplatedEmail({
        to: [
          { email: 'a@example.com', languages: ['ar'] },
          { email: 'b@example.com', languages: ['en'] },
        ],
        template,
        vars: { name: 'n', doctor: 'd', time: 't' },
        purpose: 'marketing',
        asmGroupId: 5,
      })
      .catch((e: unknown) => e);
    expect(ConsentError.isInstance(error)).toBe(true);
    expect(check).toHaveBeenCalledTimes(2);
    expect(mock.requestCount).toBe(0);
  });

  it('a missing variable or no body → ValidationError, zero requests', async () => {
    const { mock, sendgrid } = fakeSendGrid(server);
    await expect(
      sendgrid.actions.sendTemplatedEmail({ to: 'a@example.com', template, vars: {}, purpose: 'transactional' }),
    ).rejects.toSatisfy(ValidationError.isInstance);
    await expect(
      sendgrid.actions.sendTemplatedEmail({
        to: 'a@example.com',
        template: { subject: template.subject },
        vars: { name: 'n' },
        purpose: 'transactional',
      }),
    ).rejects.toSatisfy(ValidationError.isInstance);
    expect(mock.requestCount).toBe(0);
  });
});
