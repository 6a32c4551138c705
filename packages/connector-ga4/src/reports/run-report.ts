import { ConfigError, connectorKit, type HttpClient } from '@hmi/core';
import type { z } from 'zod';
import type { Ga4Context } from '../ga4-context.js';
import {
  Ga4Report,
  type PropertyQuota,
  RunRealtimeReportInput,
  RunReportInput,
  toRows,
  WireReportResponse,
} from './report-model.js';

const { action } = connectorKit<Ga4Context>();

/** The Data API client, or a ConfigError naming what is missing. */
export function dataClient(ctx: Ga4Context): HttpClient {
  propertyOf(ctx);
  if (!ctx.data) {
    throw new ConfigError('GA4 reports need serviceAccount or accessToken', {
      issues: [{ path: ['serviceAccount'], code: 'required', message: 'give serviceAccount or accessToken' }],
    });
  }
  return ctx.data;
}

/** `properties/<id>`, or a ConfigError when the config has no propertyId. */
export function propertyOf(ctx: Ga4Context): string {
  if (!ctx.config.propertyId) {
    throw new ConfigError('GA4 reports need propertyId', {
      issues: [{ path: ['propertyId'], code: 'required', message: 'required for reports' }],
    });
  }
  return `properties/${ctx.config.propertyId}`;
}

/**
 * Reads a report, page by page (`offset`/`limit`), into one canonical report. With `limit` only
 * that page is read; otherwise pages of `pageSize` until `rowCount` (or `maxRows`). A quota
 * refusal (429 RESOURCE_EXHAUSTED) on any page is retried by the core, and paging goes on from
 * the same offset: rows are never skipped or repeated.
 */
export async function readReport(
  ctx: Ga4Context,
  input: z.output<typeof RunReportInput>,
  signal: AbortSignal | undefined,
  operation = 'runReport',
): Promise<Ga4Report> {
  const http = dataClient(ctx);
  const property = propertyOf(ctx);
  const rows: Ga4Report['rows'] = [];
  const pageSize = input.limit ?? ctx.config.pageSize;
  let offset = input.offset ?? 0;
  let rowCount = 0;
  let quota: PropertyQuota | undefined;
  for (;;) {
    const body = {
      dateRanges: input.dateRanges,
      dimensions: input.dimensions.map((name) => ({ name })),
      metrics: input.metrics.map((name) => ({ name })),
      ...(input.dimensionFilter && { dimensionFilter: input.dimensionFilter }),
      ...(input.metricFilter && { metricFilter: input.metricFilter }),
      ...(input.orderBys && { orderBys: input.orderBys }),
      ...(input.keepEmptyRows !== undefined && { keepEmptyRows: input.keepEmptyRows }),
      ...(input.currencyCode && { currencyCode: input.currencyCode }),
      // int64 fields travel as strings in Google's JSON mapping.
      offset: String(offset),
      limit: String(pageSize),
      returnPropertyQuota: input.returnPropertyQuota,
    };
    const response = await http.request({
      method: 'POST',
      path: `/v1beta/${property}:runReport`,
      json: body,
      // A report is a read sent as POST: repeating it has no side effect.
      idempotent: true,
      schema: WireReportResponse,
      operation,
      ...(signal && { signal }),
    });
    const pageRows = toRows(response);
    rows.push(...pageRows);
    rowCount = response.rowCount ?? rows.length;
    quota = response.propertyQuota ?? quota;
    offset += pageRows.length;
    const done = input.limit !== undefined || pageRows.length === 0 || offset >= rowCount || rows.length >= ctx.config.maxRows;
    if (done) break;
  }
  const starts = input.dateRanges.map((r) => r.startDate);
  const ends = input.dateRanges.map((r) => r.endDate);
  return {
    property,
    dateRange: {
      start: starts.length === 1 ? (starts[0] as string) : [...starts].sort()[0]!,
      end: ends.length === 1 ? (ends[0] as string) : [...ends].sort().at(-1)!,
    },
    dimensions: [...input.dimensions, ...(input.dateRanges.length > 1 ? ['dateRange'] : [])],
    metrics: input.metrics,
    rows,
    rowCount,
    ...(quota && { quota }),
    source: { system: 'ga4', id: property },
  };
}

/** Data API `properties.runReport` → a canonical report (all pages unless `limit` is given). */
export const runReport = action({
  description: 'Run a GA4 report (dimensions, metrics, date ranges, filters, ordering, paging, quota)',
  idempotent: true,
  input: RunReportInput,
  output: Ga4Report,
  run: (input, ctx, call) => readReport(ctx, input, call.signal),
});

/** Data API `properties.runRealtimeReport` → a canonical report of the last minutes. */
export const runRealtimeReport = action({
  description: 'Run a GA4 realtime report (the last 30 minutes)',
  idempotent: true,
  input: RunRealtimeReportInput,
  output: Ga4Report,
  async run(input, ctx, call) {
    const property = propertyOf(ctx);
    const response = await dataClient(ctx).request({
      method: 'POST',
      path: `/v1beta/${property}:runRealtimeReport`,
      json: {
        dimensions: input.dimensions.map((name) => ({ name })),
        metrics: input.metrics.map((name) => ({ name })),
        ...(input.dimensionFilter && { dimensionFilter: input.dimensionFilter }),
        ...(input.metricFilter && { metricFilter: input.metricFilter }),
        ...(input.orderBys && { orderBys: input.orderBys }),
        ...(input.limit !== undefined && { limit: String(input.limit) }),
        ...(input.minuteRanges && { minuteRanges: input.minuteRanges }),
        returnPropertyQuota: input.returnPropertyQuota,
      },
      idempotent: true,
      schema: WireReportResponse,
      operation: 'runRealtimeReport',
      signal: call.signal,
    });
    const start = Math.max(...(input.minuteRanges ?? [{}]).map((r) => r.startMinutesAgo ?? 29));
    const end = Math.min(...(input.minuteRanges ?? [{}]).map((r) => r.endMinutesAgo ?? 0));
    const rows = toRows(response);
    return {
      property,
      dateRange: { start: `${start}minutesAgo`, end: `${end}minutesAgo` },
      dimensions: input.dimensions,
      metrics: input.metrics,
      rows,
      rowCount: response.rowCount ?? rows.length,
      ...(response.propertyQuota && { quota: response.propertyQuota }),
      source: { system: 'ga4', id: property },
    };
  },
});
