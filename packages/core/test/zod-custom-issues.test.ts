import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { action, defineConnector, formatIssues, toValidationIssues } from '@hmi/core';

const TwilioLike = z
  .object({ from: z.string().optional(), messagingServiceSid: z.string().optional() })
  .refine((c) => (c.from === undefined) !== (c.messagingServiceSid === undefined), {
    message: 'exactly one of from and messagingServiceSid',
  });

describe('custom (refine) issues', () => {
  it("show the connector author's static message", () => {
    const result = TwilioLike.safeParse({ from: '+966555123456', messagingServiceSid: 'MG1' });
    expect(result.success).toBe(false);
    const issues = toValidationIssues(result.error!);
    expect(issues[0]).toMatchObject({ code: 'custom', message: 'exactly one of from and messagingServiceSid' });
  });

  it('a message built from the input never quotes patient data', () => {
    const schema = z.string().refine(() => false, { error: (issue) => `bad number ${String(issue.input)} for عائشة` });
    const issues = toValidationIssues(schema.safeParse('+966555123456').error!);
    expect(formatIssues(issues)).not.toContain('966555123456');
    expect(formatIssues(issues)).not.toContain('عائشة');
    expect(issues[0]?.message).toContain('bad number');
  });

  it('a refine without a message keeps the generic text; other codes are unchanged', () => {
    const issues = toValidationIssues(
      z
        .string()
        .refine(() => false)
        .safeParse('x').error!,
    );
    expect(issues[0]?.message).toBe('failed a custom check');
    expect(toValidationIssues(z.number().safeParse('x').error!)[0]?.message).toBe('expected number, received string');
  });

  it('reaches the ConfigError of a connector', () => {
    const Sms = defineConnector({
      id: 'sms',
      name: 'SMS',
      category: 'messaging',
      version: '0.0.0',
      config: TwilioLike,
      setup: () => ({}),
      actions: { noop: action({ input: z.object({}), output: z.object({}), idempotent: true, run: async () => ({}) }) },
    });
    expect(() => Sms.create({})).toThrow(/exactly one of from and messagingServiceSid/);
  });
});
