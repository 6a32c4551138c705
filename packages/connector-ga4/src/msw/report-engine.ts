import { FAKE_DIMENSIONS, FAKE_METRICS, type FakeGa4Row } from './fixtures.js';

type Json = Record<string, unknown>;

/** A refusal in Google's words: the fake answers it as a 400 INVALID_ARGUMENT. */
export class FakeInvalidArgument extends Error {}

const DAY_MS = 86_400_000;

/** Resolves `YYYY-MM-DD`, `today`, `yesterday`, `NdaysAgo` against `now`. */
export function resolveDate(value: string, now: Date): string {
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  if (value === 'today') return new Date(today).toISOString().slice(0, 10);
  if (value === 'yesterday') return new Date(today - DAY_MS).toISOString().slice(0, 10);
  const ago = /^(\d+)daysAgo$/.exec(value);
  if (ago) return new Date(today - Number(ago[1]) * DAY_MS).toISOString().slice(0, 10);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))) return value;
  throw new FakeInvalidArgument(`invalid date ${value}`);
}

/** The days from start to end inclusive. */
export function daysBetween(start: string, end: string): string[] {
  const out: string[] = [];
  const last = Date.parse(`${end}T00:00:00Z`);
  for (let at = Date.parse(`${start}T00:00:00Z`); at <= last && out.length < 3660; at += DAY_MS)
    out.push(new Date(at).toISOString().slice(0, 10));
  return out;
}

function fieldValue(row: Json, field: string): unknown {
  if (!(field in row)) throw new FakeInvalidArgument(`Field ${field} is not a valid dimension or metric`);
  return row[field];
}

/** Evaluates a Data API FilterExpression on a row (string, in-list, numeric, between, and/or/not). */
export function matches(expression: Json, row: Json, depth = 0): boolean {
  if (depth > 10) throw new FakeInvalidArgument('filter nesting too deep');
  if (expression.andGroup) return ((expression.andGroup as Json).expressions as Json[]).every((e) => matches(e, row, depth + 1));
  if (expression.orGroup) return ((expression.orGroup as Json).expressions as Json[]).some((e) => matches(e, row, depth + 1));
  if (expression.notExpression) return !matches(expression.notExpression as Json, row, depth + 1);
  const filter = expression.filter as Json | undefined;
  if (!filter || typeof filter.fieldName !== 'string') throw new FakeInvalidArgument('a filter needs fieldName');
  const value = fieldValue(row, filter.fieldName);
  if (filter.stringFilter) {
    const f = filter.stringFilter as { matchType?: string; value?: string; caseSensitive?: boolean };
    const fold = (s: string) => (f.caseSensitive ? s : s.toLowerCase());
    const v = fold(String(value));
    const w = fold(f.value ?? '');
    switch (f.matchType ?? 'EXACT') {
      case 'EXACT':
        return v === w;
      case 'BEGINS_WITH':
        return v.startsWith(w);
      case 'ENDS_WITH':
        return v.endsWith(w);
      case 'CONTAINS':
        return v.includes(w);
      case 'FULL_REGEXP':
        return new RegExp(`^(?:${f.value})$`, f.caseSensitive ? '' : 'i').test(String(value));
      case 'PARTIAL_REGEXP':
        return new RegExp(f.value ?? '', f.caseSensitive ? '' : 'i').test(String(value));
      default:
        throw new FakeInvalidArgument('unknown matchType');
    }
  }
  if (filter.inListFilter) {
    const f = filter.inListFilter as { values?: string[]; caseSensitive?: boolean };
    const fold = (s: string) => (f.caseSensitive ? s : s.toLowerCase());
    return (f.values ?? []).map(fold).includes(fold(String(value)));
  }
  const num = (v: Json | undefined) => Number(v?.int64Value ?? v?.doubleValue);
  if (filter.numericFilter) {
    const f = filter.numericFilter as { operation?: string; value?: Json };
    const n = Number(value);
    const w = num(f.value);
    const ops: Record<string, boolean> = {
      EQUAL: n === w,
      LESS_THAN: n < w,
      LESS_THAN_OR_EQUAL: n <= w,
      GREATER_THAN: n > w,
      GREATER_THAN_OR_EQUAL: n >= w,
    };
    if (!(String(f.operation) in ops)) throw new FakeInvalidArgument('unknown numeric operation');
    return ops[String(f.operation)] as boolean;
  }
  if (filter.betweenFilter) {
    const f = filter.betweenFilter as { fromValue?: Json; toValue?: Json };
    const n = Number(value);
    return n >= num(f.fromValue) && n <= num(f.toValue);
  }
  if (filter.emptyFilter) return value === '' || value === '(not set)';
  throw new FakeInvalidArgument('a filter needs one of stringFilter, inListFilter, numericFilter, betweenFilter, emptyFilter');
}

/** Aggregates base rows by the requested dimensions, summing the metrics; applies filters and ordering. */
export function aggregate(
  base: FakeGa4Row[],
  dimensions: string[],
  metrics: string[],
  request: { dimensionFilter?: Json; metricFilter?: Json; orderBys?: Json[] },
): Array<{ dims: string[]; mets: number[] }> {
  for (const d of dimensions)
    if (!(FAKE_DIMENSIONS as readonly string[]).includes(d)) throw new FakeInvalidArgument(`Field ${d} is not a valid dimension`);
  for (const m of metrics)
    if (!(FAKE_METRICS as readonly string[]).includes(m)) throw new FakeInvalidArgument(`Field ${m} is not a valid metric`);
  const groups = new Map<string, { dims: string[]; mets: number[] }>();
  for (const row of base) {
    if (request.dimensionFilter && !matches(request.dimensionFilter, row)) continue;
    const dims = dimensions.map((d) => String(row[d as keyof FakeGa4Row]));
    const key = JSON.stringify(dims);
    const group = groups.get(key) ?? { dims, mets: metrics.map(() => 0) };
    metrics.forEach((m, i) => {
      group.mets[i] = (group.mets[i] as number) + Number(row[m as keyof FakeGa4Row]);
    });
    groups.set(key, group);
  }
  let rows = [...groups.values()];
  if (request.metricFilter)
    rows = rows.filter((r) => matches(request.metricFilter as Json, Object.fromEntries(metrics.map((m, i) => [m, r.mets[i]]))));
  const orderBys = request.orderBys?.length
    ? request.orderBys
    : metrics.length
      ? [{ metric: { metricName: metrics[0] }, desc: true }]
      : [];
  rows.sort((a, b) => {
    for (const o of orderBys) {
      const desc = o.desc ? -1 : 1;
      const metric = (o.metric as Json | undefined)?.metricName as string | undefined;
      const dimension = (o.dimension as Json | undefined)?.dimensionName as string | undefined;
      let diff = 0;
      if (metric !== undefined) {
        const i = metrics.indexOf(metric);
        if (i < 0) throw new FakeInvalidArgument(`orderBy metric ${metric} is not in the request`);
        diff = (a.mets[i] as number) - (b.mets[i] as number);
      } else if (dimension !== undefined) {
        const i = dimensions.indexOf(dimension);
        if (i < 0) throw new FakeInvalidArgument(`orderBy dimension ${dimension} is not in the request`);
        diff = (a.dims[i] as string).localeCompare(b.dims[i] as string);
      }
      if (diff !== 0) return diff * desc;
    }
    return a.dims.join('\u0000').localeCompare(b.dims.join('\u0000'));
  });
  return rows;
}
