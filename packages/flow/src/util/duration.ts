import { ConfigError } from '@hmi/core';

/** A duration: milliseconds, or text such as `500ms`, `30s`, `5m`, `2h`, `1d`, `1h30m`. */
export type Duration = number | string;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a {@link Duration} into milliseconds; a ConfigError names what was wrong. */
export function parseDuration(value: Duration, what = 'duration'): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value;
    throw new ConfigError(`${what} must be a non-negative number of milliseconds`);
  }
  const text = value.trim();
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new ConfigError(`${what} must look like 500ms, 30s, 5m, 2h, 1d or 1h30m`);
  }
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0));
}
