import { AnalyticsReport } from '@hmi/core/schemas';
import { z } from 'zod';

// Wire shapes of the Data API v1beta (see analyticsdata.v1beta.json), validated on every response.
const Header = z.object({ name: z.string() });
const Value = z.object({ value: z.string().optional() });
const QuotaStatus = z.object({ consumed: z.number().optional(), remaining: z.number().optional() });

/** `propertyQuota` of a response when `returnPropertyQuota` was asked for. */
export const PropertyQuota = z.object({
  tokensPerDay: QuotaStatus.optional(),
  tokensPerHour: QuotaStatus.optional(),
  concurrentRequests: QuotaStatus.optional(),
  serverErrorsPerProjectPerHour: QuotaStatus.optional(),
  potentiallyThresholdedRequestsPerHour: QuotaStatus.optional(),
  tokensPerProjectPerHour: QuotaStatus.optional(),
});
/** Quota state of the property. */
export type PropertyQuota = z.infer<typeof PropertyQuota>;

/** A RunReportResponse or RunRealtimeReportResponse (the fields hmi reads; others tolerated). */
export const WireReportResponse = z.object({
  dimensionHeaders: z.array(Header).optional(),
  metricHeaders: z.array(Header.extend({ type: z.string().optional() })).optional(),
  rows: z.array(z.object({ dimensionValues: z.array(Value).optional(), metricValues: z.array(Value).optional() })).optional(),
  rowCount: z.number().int().nonnegative().optional(),
  propertyQuota: PropertyQuota.optional(),
  kind: z.string().optional(),
});
/** A report response. */
export type WireReportResponse = z.infer<typeof WireReportResponse>;

/** A GA4 report: the canonical AnalyticsReport plus the row count and quota GA4 reports. */
export const Ga4Report = AnalyticsReport.extend({
  /** Rows matching the query in total (all pages). */
  rowCount: z.number().int().nonnegative(),
  /** The property's quota after the last page, when `returnPropertyQuota` was set. */
  quota: PropertyQuota.optional(),
});
/** A GA4 report. */
export type Ga4Report = z.infer<typeof Ga4Report>;

const FieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_:]{0,99}$/, 'expected an API name such as sessionSource');
const DateValue = z
  .string()
  .regex(/^(\d{4}-\d{2}-\d{2}|today|yesterday|\d{1,4}daysAgo)$/, 'expected YYYY-MM-DD, today, yesterday or NdaysAgo');
/** A FilterExpression, passed to the API as given (the API validates it; a refusal is a ValidationError). */
const FilterExpression = z.record(z.string(), z.unknown());
const OrderBy = z.union([
  z.object({ metric: z.object({ metricName: FieldName }), desc: z.boolean().optional() }),
  z.object({
    dimension: z.object({
      dimensionName: FieldName,
      orderType: z.enum(['ALPHANUMERIC', 'CASE_INSENSITIVE_ALPHANUMERIC', 'NUMERIC']).optional(),
    }),
    desc: z.boolean().optional(),
  }),
]);

/** Input of `runReport`. Without `limit`, every page is read (offset paging, up to `maxRows`). */
export const RunReportInput = z.object({
  dimensions: z.array(FieldName).max(9).default([]),
  metrics: z.array(FieldName).min(1).max(10),
  dateRanges: z
    .array(z.object({ startDate: DateValue, endDate: DateValue, name: z.string().max(64).optional() }))
    .min(1)
    .max(4),
  dimensionFilter: FilterExpression.optional(),
  metricFilter: FilterExpression.optional(),
  orderBys: z.array(OrderBy).max(10).optional(),
  /** First row (0-based). */
  offset: z.number().int().min(0).optional(),
  /** One page of at most this many rows; absent = read all pages. */
  limit: z.number().int().min(1).max(250_000).optional(),
  keepEmptyRows: z.boolean().optional(),
  currencyCode: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  /** Ask for the property's quota state (returned as `quota`). */
  returnPropertyQuota: z.boolean().default(false),
});
/** Input of `runReport`. */
export type RunReportInput = z.input<typeof RunReportInput>;

/** Input of `runRealtimeReport` (the last 30 minutes; 60 on 360 properties). */
export const RunRealtimeReportInput = z.object({
  dimensions: z.array(FieldName).max(9).default([]),
  metrics: z.array(FieldName).min(1).max(10),
  dimensionFilter: FilterExpression.optional(),
  metricFilter: FilterExpression.optional(),
  orderBys: z.array(OrderBy).max(10).optional(),
  limit: z.number().int().min(1).max(250_000).optional(),
  minuteRanges: z
    .array(
      z.object({
        startMinutesAgo: z.number().int().min(0).max(59).optional(),
        endMinutesAgo: z.number().int().min(0).max(59).optional(),
        name: z.string().max(64).optional(),
      }),
    )
    .max(2)
    .optional(),
  returnPropertyQuota: z.boolean().default(false),
});
/** Input of `runRealtimeReport`. */
export type RunRealtimeReportInput = z.input<typeof RunRealtimeReportInput>;

/** Turns response pages into rows of the canonical report. Metric values are numbers (GA sends strings). */
export function toRows(response: WireReportResponse): AnalyticsReport['rows'] {
  return (response.rows ?? []).map((row) => ({
    dimensions: (row.dimensionValues ?? []).map((v) => v.value ?? ''),
    metrics: (row.metricValues ?? []).map((v) => {
      const n = Number(v.value);
      return Number.isFinite(n) ? n : 0;
    }),
  }));
}
