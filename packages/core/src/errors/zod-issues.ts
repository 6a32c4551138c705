import type { z } from 'zod';
import type { ValidationIssue } from './errors.js';
import { scrubMessage } from './hmi-error.js';

/**
 * Turns zod issues into {@link ValidationIssue}s that say where and what was expected, never
 * what was received: zod's own messages can quote the offending value, which may be patient data.
 */
export function toValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'number' ? p : safeKey(typeof p === 'symbol' ? String(p.description) : p))),
    code: issue.code,
    message: describeIssue(issue),
  }));
}

/**
 * Object keys are names, not values, except in records keyed by data (a map from phone number or
 * email to something): such keys are replaced so a path never quotes patient data.
 */
function safeKey(key: string): string {
  if (/@|^\+?\d[\d\s-]{5,}$|[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/.test(key)) return '[key]';
  return key.length > 64 ? `${key.slice(0, 16)}…` : key;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      // zod's message names the received *type* ("received undefined"), never the value.
      const received = /received (\w+)$/.exec(issue.message)?.[1];
      if (received === 'undefined') return `required (expected ${issue.expected})`;
      return received ? `expected ${issue.expected}, received ${received}` : `expected ${issue.expected}`;
    }
    case 'too_small':
      return `too small: minimum ${String(issue.minimum)}`;
    case 'too_big':
      return `too big: maximum ${String(issue.maximum)}`;
    case 'invalid_format':
      return describeFormat(issue);
    case 'invalid_value':
      // The allowed values come from the schema, not the input.
      return `expected ${listValues(issue.values)}`;
    case 'unrecognized_keys':
      return `unrecognized keys: ${issue.keys.map(safeKey).join(', ')}`;
    case 'invalid_union':
      return describeUnion(issue);
    case 'not_multiple_of':
      return `not a multiple of ${String(issue.divisor)}`;
    case 'custom':
      return customMessage(issue.message);
    default:
      return `invalid (${issue.code})`;
  }
}

function listValues(values: readonly unknown[]): string {
  const shown = values
    .slice(0, 10)
    .map((v) => (typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : String(v)));
  const more = values.length > 10 ? ` (+${values.length - 10} more)` : '';
  return values.length === 1 ? shown[0]! : `one of ${shown.join(' | ')}${more}`;
}

/** A format error says the format: the author's message (a regex's "AC + 32 hex"), else the pattern. */
function describeFormat(issue: z.core.$ZodIssueInvalidStringFormat): string {
  const authored = issue.message && !/^Invalid (string|input)\b/.test(issue.message) ? customMessage(issue.message) : undefined;
  if (authored && authored !== 'failed a custom check') return `invalid format: ${authored}`;
  if (issue.format === 'regex' && issue.pattern) {
    const pattern = issue.pattern.length > 80 ? `${issue.pattern.slice(0, 80)}…` : issue.pattern;
    return `invalid format: must match ${pattern}`;
  }
  return `invalid format: expected ${issue.format}`;
}

/** A union says what it allows: the discriminator's values, or each branch's expected type. */
function describeUnion(issue: z.core.$ZodIssueInvalidUnion): string {
  const tagged = issue as z.core.$ZodIssueInvalidUnion & { discriminator?: string; options?: unknown[] };
  if (tagged.discriminator !== undefined && Array.isArray(tagged.options) && tagged.options.length > 0) {
    return `expected ${listValues(tagged.options)}`;
  }
  const expected = new Set<string>();
  for (const branch of issue.errors ?? []) {
    const first = branch[0];
    if (first?.code === 'invalid_type') expected.add(first.expected);
  }
  return expected.size > 0 ? `matched no allowed shape (expected ${[...expected].join(' or ')})` : 'matched no allowed shape';
}

/**
 * A `custom` issue's message is the static text a connector author wrote in a refine ("exactly one
 * of from and messagingServiceSid"), worth showing. A message function could still quote the
 * input, so it is scrubbed (numbers, addresses, Arabic text, tokens) and kept short.
 */
function customMessage(message: string | undefined): string {
  if (!message || message === 'Invalid input') return 'failed a custom check';
  const scrubbed = scrubMessage(message).replace(/\s+/g, ' ').trim();
  return scrubbed.length > 160 ? `${scrubbed.slice(0, 160)}…` : scrubbed;
}

/** Formats issues as `path: message; …` for an error message. */
export function formatIssues(issues: ValidationIssue[], max = 5): string {
  const parts = issues.slice(0, max).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  if (issues.length > max) parts.push(`… ${issues.length - max} more`);
  return parts.join('; ');
}
