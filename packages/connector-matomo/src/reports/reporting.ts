import { ConfigError, connectorKit, type HmiError } from '@hmi/core';
import { AnalyticsReport } from '@hmi/core/schemas';
import { z } from 'zod';
import type { MatomoContext } from '../matomo-context.js';
import { classifyMatomoError } from '../matomo-error.js';

/** Reporting API methods the connector maps (others are refused before any request). */
export const MATOMO_REPORT_METHODS = [
  'VisitsSummary.get',
  'Actions.get',
  'Actions.getPageUrls',
  'Actions.getPageTitles',
  'Referrers.getCampaigns',
  'Referrers.getReferrerType',
  'Referrers.getWebsites',
  'Goals.get',
  'DevicesDetection.getType',
  'UserCountry.getCountry',
] as const;

const DateValue = z
  .string()
  .regex(
    /^(today|yesterday|last\d{1,4}|previous\d{1,4}|\d{4}-\d{2}-\d{2}(,\d{4}-\d{2}-\d{2})?)$/,
    'expected YYYY-MM-DD, a range, today, yesterday, lastN or previousN',
  );

/** Input of `getReport`. */
export const MatomoReportInput = z.object({
  method: z.enum(MATOMO_REPORT_METHODS),
  period: z.enum(['day', 'week', 'month', 'year', 'range']),
  /** `2026-03-01`, `2026-03-01,2026-03-07`, `today`, `last7`… */
  date: DateValue,
  /** A Matomo segment (`referrerName==google`). Sent in the body, like every parameter. */
  segment: z.string().max(2000).optional(),
  /** Only these metric columns (default every numeric column of the answer). */
  metrics: z
    .array(z.string().regex(/^[a-z_0-9]{1,64}$/))
    .max(30)
    .optional(),
  /** Rows per table (`filter_limit`). Default 100; -1 = all. */
  limit: z.number().int().min(-1).max(10_000).default(100),
  /** `flat=1` for hierarchical reports (page URLs as full paths). Default true. */
  flat: z.boolean().default(true),
  /** `idGoal` for Goals.get. */
  goalId: z.number().int().positive().optional(),
});
/** Input of `getReport`. */
export type MatomoReportInput = z.input<typeof MatomoReportInput>;

/** A Matomo report in the canonical form, with the method it came from. */
export const MatomoReport = AnalyticsReport.extend({ method: z.string() });
/** A Matomo report. */
export type MatomoReport = z.infer<typeof MatomoReport>;

type Row = Record<string, unknown>;
const isRow = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);
const DATE_KEY = /^\d{4}-\d{2}(-\d{2})?(,\d{4}-\d{2}-\d{2})?$/;

/** A metric value: numbers, numeric strings and percentages (`"42%"`); anything else is not a metric. */
function metricValue(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?%?$/.test(value)) return Number(value.replace('%', ''));
  return undefined;
}

/**
 * Flattens the shapes the Reporting API answers with into labelled rows:
 * a metrics object (one row), a table (`[{label, …}]`), or either keyed by date (`period=day` over
 * a range).
 */
export function flattenMatomo(body: unknown): {
  byDate: boolean;
  labelled: boolean;
  rows: Array<{ date?: string; label?: string; values: Row }>;
} {
  const out: Array<{ date?: string; label?: string; values: Row }> = [];
  const table = (value: unknown, date?: string) => {
    if (Array.isArray(value)) {
      for (const row of value) if (isRow(row)) out.push({ ...(date && { date }), label: String(row.label ?? ''), values: row });
      return true;
    }
    if (isRow(value)) out.push({ ...(date && { date }), values: value });
    return false;
  };
  if (isRow(body) && Object.keys(body).length > 0 && Object.keys(body).every((k) => DATE_KEY.test(k))) {
    let labelled = false;
    for (const [date, value] of Object.entries(body)) labelled = table(value, date) || labelled;
    return { byDate: true, labelled, rows: out };
  }
  const labelled = table(body);
  return { byDate: false, labelled, rows: out };
}

const { action } = connectorKit<MatomoContext>();

/**
 * Calls the Reporting API (`index.php?module=API&method=…`) with every parameter — `token_auth`
 * first of all — in the POST body, never in the URL (URLs end up in proxy and server logs), and
 * maps the answer to the canonical report: dimensions `date` (for a day-by-day range) and `label`
 * (for tables), metrics the numeric columns.
 */
export const getReport = action({
  description: 'Read a Matomo report (VisitsSummary, Actions, Referrers, Goals, …) as an AnalyticsReport',
  idempotent: true,
  input: MatomoReportInput,
  output: MatomoReport,
  async run(input, ctx, call) {
    if (!ctx.config.tokenAuth) {
      throw new ConfigError('Matomo reports need tokenAuth', {
        issues: [{ path: ['tokenAuth'], code: 'required', message: 'required for the Reporting API' }],
      });
    }
    const body = await ctx.http.request({
      method: 'POST',
      path: '/index.php',
      form: {
        module: 'API',
        method: input.method,
        idSite: ctx.config.siteId,
        period: input.period,
        date: input.date,
        format: 'JSON',
        filter_limit: input.limit,
        ...(input.flat && { flat: 1 }),
        ...(input.segment && { segment: input.segment }),
        ...(input.goalId !== undefined && { idGoal: input.goalId }),
        token_auth: ctx.config.tokenAuth,
      },
      // A read sent as POST so that the token stays out of the URL.
      idempotent: true,
      operation: 'getReport',
      signal: call.signal,
    });
    const refused = classifyMatomoError({
      status: 200,
      headers: new Headers(),
      body,
      method: 'POST',
      operation: 'getReport',
      requestId: undefined,
    });
    if (refused) throw refused as HmiError;
    const flat = flattenMatomo(body);
    const metrics =
      input.metrics ??
      [
        ...new Set(
          flat.rows.flatMap((r) => Object.keys(r.values).filter((k) => k !== 'label' && metricValue(r.values[k]) !== undefined)),
        ),
      ].sort();
    const dimensions = [...(flat.byDate ? ['date'] : []), ...(flat.labelled ? ['label'] : [])];
    const rows: AnalyticsReport['rows'] = flat.rows.map((r) => ({
      dimensions: [...(flat.byDate ? [r.date ?? ''] : []), ...(flat.labelled ? [r.label ?? ''] : [])],
      metrics: metrics.map((m) => metricValue(r.values[m]) ?? 0),
    }));
    const [start, end] = input.date.includes(',') ? input.date.split(',') : [input.date, input.date];
    return {
      property: `site:${ctx.config.siteId}`,
      dateRange: { start: start as string, end: end as string },
      dimensions,
      metrics,
      rows,
      source: { system: 'matomo', id: `${ctx.config.siteId}:${input.method}:${input.period}:${input.date}` },
      method: input.method,
    };
  },
});
