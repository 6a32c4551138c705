import { ConfigError, formatIssues, toValidationIssues } from '@hmi/core';
import { z } from 'zod';
import type { AlertRule } from './types.js';

const duration = z.union([z.number().nonnegative(), z.string().regex(/^(\d+(\.\d+)?(ms|s|m|h|d))+$/)]);
const positiveDuration = duration.refine((d) => (typeof d === 'number' ? d > 0 : !/^(0+(\.0+)?(ms|s|m|h|d))+$/.test(d)), {
  message: 'must be longer than zero',
});
const base = {
  id: z.string().min(1).max(100).optional(),
  severity: z.enum(['critical', 'warning', 'info']).optional(),
  only: z.array(z.string().min(1)).optional(),
};
const sources = z
  .array(z.enum(['sync', 'outbox', 'action', 'request']))
  .min(1)
  .optional();

/**
 * The zod schema of an alert rule: what `createAlertManager` validates its rules with (a bad rule
 * is a ConfigError naming the field). Exported so config files can embed rules.
 */
export const AlertRuleSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('consecutive-failures'), threshold: z.number().int().min(1), sources }),
  z.strictObject({
    ...base,
    type: z.literal('error-rate'),
    threshold: z.number().min(0).lt(1),
    window: positiveDuration,
    minSamples: z.number().int().min(1).optional(),
    sources,
  }),
  z.strictObject({
    ...base,
    type: z.literal('dlq-depth'),
    threshold: z.number().int().min(0),
    pollEvery: positiveDuration.optional(),
    perIntegrationPoint: z.boolean().optional(),
  }),
  z.strictObject({ ...base, type: z.literal('circuit-open') }),
  z.strictObject({
    ...base,
    type: z.literal('hl7-ack'),
    codes: z
      .array(z.string().regex(/^[A-Za-z]{2}$/))
      .min(1)
      .optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('webhook-signature-spike'),
    threshold: z.number().int().min(1),
    window: positiveDuration,
    perRoute: z.boolean().optional(),
  }),
]);

/** Validates rules and their ids (unique); a ConfigError names the rule and field. @internal */
export function parseRules(rules: readonly unknown[]): AlertRule[] {
  if (!Array.isArray(rules)) throw new ConfigError('alert rules must be an array');
  const parsed = z.array(AlertRuleSchema).safeParse(rules);
  if (!parsed.success) {
    const issues = toValidationIssues(parsed.error);
    throw new ConfigError(`invalid alert rules: ${formatIssues(issues)}`, { issues });
  }
  const seen = new Set<string>();
  for (const rule of parsed.data) {
    const id = rule.id ?? rule.type;
    if (seen.has(id)) throw new ConfigError(`alert rule id "${id}" is used twice; give each rule of a type its own id`);
    seen.add(id);
  }
  return parsed.data as AlertRule[];
}
