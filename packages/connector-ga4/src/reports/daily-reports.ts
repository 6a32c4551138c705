import { connectorKit } from '@hmi/core';
import { z } from 'zod';
import type { Ga4Context } from '../ga4-context.js';
import { Ga4Report } from './report-model.js';
import { readReport } from './run-report.js';

const { stream } = connectorKit<Ga4Context>();

/** Where a `dailyReports` read is: the last day read of each saved report (`YYYY-MM-DD`). */
export const DailyReportsCheckpoint = z.object({
  through: z.record(z.string(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)),
});
/** A `dailyReports` checkpoint. */
export type DailyReportsCheckpoint = z.infer<typeof DailyReportsCheckpoint>;

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const parseDay = (value: string) => Date.parse(`${value}T00:00:00Z`);

/** A day's report of a saved definition; `source.id` is `<report>:<date>`, so a re-read day replaces the first. */
export const DailyReport = Ga4Report.extend({ report: z.string(), date: z.string() });
/** A day's report. */
export type DailyReport = z.infer<typeof DailyReport>;

/**
 * One report per saved definition (config `reports`) and day, oldest first, up to today (UTC).
 * Incremental by date: a read resumes `settleDays` (default 3) before the checkpoint's day,
 * because GA4 keeps revising the last ~72 hours; those days come again with the same
 * `source.id`, so an upsert keeps the settled figures. Each page carries one day.
 */
export const dailyReports = stream({
  description: 'Daily reports of the saved report definitions (incremental by date, re-reads the last days)',
  record: DailyReport,
  checkpoint: DailyReportsCheckpoint,
  async *read(ctx, { checkpoint, signal }) {
    const through = { ...(checkpoint?.through ?? {}) };
    const today = parseDay(day(ctx.now()));
    for (const [name, definition] of Object.entries(ctx.config.reports)) {
      const last = through[name];
      const first =
        last === undefined
          ? parseDay(definition.startDate)
          : Math.max(parseDay(definition.startDate), parseDay(last) - (ctx.config.settleDays - 1) * DAY_MS);
      const stop = Math.min(today, first + (ctx.config.maxDaysPerRead - 1) * DAY_MS);
      for (let at = first; at <= stop; at += DAY_MS) {
        signal?.throwIfAborted();
        const date = day(at);
        const report = await readReport(
          ctx,
          {
            dimensions: definition.dimensions,
            metrics: definition.metrics,
            dateRanges: [{ startDate: date, endDate: date }],
            ...(definition.dimensionFilter && { dimensionFilter: definition.dimensionFilter }),
            ...(definition.metricFilter && { metricFilter: definition.metricFilter }),
            returnPropertyQuota: false,
          },
          signal,
          'dailyReports',
        );
        through[name] = date;
        yield {
          records: [{ ...report, report: name, date, source: { system: 'ga4', id: `${name}:${date}` } }],
          checkpoint: { through: { ...through } },
        };
      }
    }
  },
});
