import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMailBody, HMI_CUSTOM_ARGS, MAX_PERSONALIZATIONS, SendEmailInput } from '../src/index.js';
import { MailSendBody } from '../src/msw/index.js';
import { mailSendClosedIssues, mailSendIssues, personalizationsMaxItems } from './mail-spec.js';

const arabicText = fc.string({
  unit: fc.constantFrom(...'مرحبا بكم في عيادة القلب ٠١٢٣ abc <p>&"\''.split('')),
  minLength: 1,
  maxLength: 80,
});

describe('buildMailBody (property: every body the connector can build is valid for the spec and the fake)', () => {
  it('random recipients, Arabic names and content, categories, custom args, marketing or not', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat({ max: 10_000 }), { minLength: 1, maxLength: 40 }),
        fc.option(arabicText, { nil: undefined }),
        arabicText,
        fc.boolean(),
        fc.uniqueArray(fc.stringMatching(/^[a-z]{1,12}$/), { maxLength: 10 }),
        fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/), arabicText, { maxKeys: 5 }),
        (ids, name, text, marketing, categories, customArgs) => {
          const input = SendEmailInput.parse({
            to: ids.map((i) => ({ email: `p${i}@example.com`, ...(name && { name }), contactId: `c${i}` })),
            subject: text.replace(/[\r\n]/g, ' '),
            text,
            html: `<p>${text}</p>`,
            purpose: marketing ? 'marketing' : 'transactional',
            ...(marketing && { asmGroupId: 7 }),
            ...(categories.length && { categories }),
            customArgs,
          });
          const recipients = ids.map((i) => ({ email: `p${i}@example.com`, name, contactId: `c${i}` }));
          const body = buildMailBody(input, recipients, { email: 'noreply@hospital.example' }, 'send-1');
          expect(mailSendIssues(body)).toEqual([]);
          expect(mailSendClosedIssues(body)).toEqual([]);
          expect(MailSendBody.safeParse(body).success).toBe(true);
          const personalizations = body.personalizations as Array<{ to: unknown[]; custom_args: Record<string, string> }>;
          expect(personalizations).toHaveLength(ids.length);
          expect(personalizations.every((p) => p.to.length === 1)).toBe(true);
          expect(personalizations.map((p) => p.custom_args[HMI_CUSTOM_ARGS.contactId])).toEqual(ids.map((i) => `c${i}`));
          expect(personalizations.every((p) => p.custom_args[HMI_CUSTOM_ARGS.purpose] === input.purpose)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('SendGrid’s personalization limit is the one the spec states', async () => {
    expect(personalizationsMaxItems()).toBe(MAX_PERSONALIZATIONS);
  });
});
