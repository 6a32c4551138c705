import { Hl7TimeZoneError } from '../hl7v2-error.js';

/** True when `timeZone` is an IANA zone this runtime knows (`Asia/Riyadh`, `Africa/Cairo`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new Hl7TimeZoneError('timeZone is not an IANA time zone name');
  }
}

/** Offset of `timeZone` from UTC at instant `t`, in minutes. */
function offsetAt(f: Intl.DateTimeFormat, t: number): number {
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((local - Math.floor(t / 1000) * 1000) / 60_000);
}

function formatOffset(minutes: number): string {
  if (minutes === 0) return '+00:00';
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * The UTC offset (`+03:00`) that wall-clock time `y-mo-d h:mi:s` has in `timeZone`, daylight saving
 * included. A time skipped by a spring-forward gap gets the offset after the gap; a time that
 * occurs twice (autumn) the first (earlier) one.
 */
export function zoneOffset(timeZone: string, y: number, mo: number, d: number, h: number, mi: number, s: number): string {
  const f = formatter(timeZone);
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const first = offsetAt(f, wall);
  let offset = offsetAt(f, wall - first * 60_000);
  if (offset !== first) {
    // Near a transition: take the offset that maps the wall time back onto itself, else the later.
    const second = offsetAt(f, wall - offset * 60_000);
    offset = second === offset ? offset : Math.max(first, offset);
  }
  return formatOffset(offset);
}
