import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../app/api.js';
import { createI18n } from '../app/i18n.js';
import { errorTrend, throughput } from '../app/points.js';

const record = (at: string, outcome: string): AuditRecord => ({
  seq: 0,
  at,
  integrationPoint: 'ehr',
  connector: null,
  operation: 'sync',
  recordIds: [],
  outcome,
  trigger: 'schedule',
  errorCode: null,
  durationMs: null,
  correlationId: null,
});

describe('the console’s number and trend logic', () => {
  it('shows Arabic-Indic digits only in Arabic with the option on', () => {
    expect(createI18n('ar', 'arab').num(1234)).toBe('١٬٢٣٤');
    expect(createI18n('ar', 'latn').num(1234)).toBe('1,234');
    expect(createI18n('en', 'arab').num(1234)).toBe('1,234');
    expect(createI18n('ar', 'arab').t('count', { n: 3 })).toBe('المعروض: ٣');
    expect(createI18n('en', 'latn').ago(null)).toBe('never');
    expect(createI18n('en', 'latn').ago(7200)).toBe('2 h');
  });

  it('computes throughput over the last hour and the failure trend oldest first', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    // Newest first, as /v1/audit answers.
    const records = [
      record('2026-03-01T11:59:00Z', 'failure'),
      record('2026-03-01T11:30:00Z', 'success'),
      record('2026-03-01T10:30:00Z', 'success'),
    ];
    expect(throughput(records, now)).toBeCloseTo(2 / 60);
    expect(errorTrend(records, 3)).toEqual([0, 0, 1]);
    expect(errorTrend([], 3)).toEqual([]);
  });
});
