import type { Coding } from '@hmi/core';
import { Hl7TimeZoneError } from '../hl7v2-error.js';
import type { Hl7Message } from '../parser/message.js';
import { zoneOffset } from './time-zone.js';

/** Something a mapper could not use, said without the value: where, and why. */
export interface Hl7MappingIssue {
  /** HL7 location, e.g. `PID-13[2]`. */
  path: string;
  /** Machine-readable reason, e.g. `phone_not_normalisable`. */
  reason: string;
}

/** Options shared by the mappers. */
export interface Hl7MapOptions {
  /** Region for phone numbers written without a country code (`SA`, `AE`, `EG`). */
  defaultRegion?: string;
  /**
   * The facility's time zone, an IANA name (`Asia/Riyadh`, `Asia/Dubai`, `Africa/Cairo`): HL7 times
   * written without an offset are wall-clock times there (daylight saving applied). Without it (or
   * `defaultOffset`) such a time is refused with an {@link Hl7TimeZoneError}, never read as UTC.
   */
  timeZone?: string;
  /**
   * A fixed UTC offset for HL7 times written without one (`+03:00`). Prefer `timeZone`, which
   * follows daylight saving (Egypt's, for one); used only when `timeZone` is not set.
   */
  defaultOffset?: string;
}

/** Where times without an offset are placed: a fixed offset, or the options' zone. */
export type Hl7TimeContext = string | Pick<Hl7MapOptions, 'timeZone' | 'defaultOffset'> | undefined;

/** One repetition of a field: components of subcomponents, decoded. */
export type Rep = string[][];

/** HL7's explicit null: the value is to be deleted. Never text. */
export const HL7_NULL = '""';

function clean(v: string | undefined): string {
  const t = (v ?? '').trim();
  return t === HL7_NULL ? '' : t;
}

/** Component `i` (1-based), first subcomponent, trimmed; `''` when absent or HL7's null `""`. */
export function comp(rep: Rep | undefined, i: number): string {
  return clean(rep?.[i - 1]?.[0]);
}

/** Subcomponent `j` of component `i` (1-based), trimmed; `''` when absent or HL7's null `""`. */
export function sub(rep: Rep | undefined, i: number, j: number): string {
  return clean(rep?.[i - 1]?.[j - 1]);
}

/**
 * What a field says as a whole: `absent` (not sent: leave the value as it is), `null` (HL7's
 * `""`: delete the value) or `present`.
 */
export function fieldState(msg: Hl7Message, fieldPath: string): 'absent' | 'null' | 'present' {
  const raw = msg.getEncoded(fieldPath);
  if (raw === undefined || raw.trim() === '') return 'absent';
  return raw.trim() === HL7_NULL ? 'null' : 'present';
}

/** True when a repetition holds nothing but empty strings (or HL7's `""` null). */
export function isEmptyRep(rep: Rep): boolean {
  return rep.every((c) => c.every((v) => v.trim() === '' || v === '""'));
}

/** Repetitions of a field, skipping empty ones, with their 1-based index kept. */
export function reps(msg: Hl7Message, fieldPath: string): Array<{ rep: Rep; index: number }> {
  return msg
    .repetitions(fieldPath)
    .map((rep, i) => ({ rep, index: i + 1 }))
    .filter(({ rep }) => !isEmptyRep(rep));
}

/** The first component of the first repetition, trimmed; undefined when empty. */
export function value(msg: Hl7Message, path: string): string | undefined {
  const v = msg.get(path)?.trim();
  return v === undefined || v === '' || v === '""' ? undefined : v;
}

const TS = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\.\d{1,4})?([+-]\d{4})?$/;

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD` from an HL7 DT/DTM/TS, or undefined when it is not one. */
export function hl7Date(ts: string | undefined): string | undefined {
  const m = ts ? TS.exec(ts.trim()) : null;
  if (!m) return undefined;
  const [, y, mo, d] = m;
  if (mo !== undefined && (Number(mo) < 1 || Number(mo) > 12)) return undefined;
  if (d !== undefined && (Number(d) < 1 || Number(d) > 31)) return undefined;
  return [y, mo, d].filter(Boolean).join('-');
}

/**
 * An ISO 8601 date-time from an HL7 DTM/TS (`198908181126+0215` → `1989-08-18T11:26:00+02:15`).
 * A time written without an offset is placed by `context`: an IANA `timeZone` (daylight saving
 * applied: `20240301090000` in `Asia/Riyadh` → `2024-03-01T09:00:00+03:00`), else a fixed
 * offset (`defaultOffset`, or `context` itself when it is a string). With neither it throws an
 * {@link Hl7TimeZoneError}: a local time read as UTC would move every appointment.
 */
export function hl7DateTime(ts: string | undefined, context?: Hl7TimeContext): string | undefined {
  const m = ts ? TS.exec(ts.trim()) : null;
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '', zone] = m;
  if (Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  let offset: string;
  if (zone) offset = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  else if (typeof context === 'string') offset = context;
  else if (context?.timeZone) {
    offset = zoneOffset(context.timeZone, Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s));
  } else if (context?.defaultOffset) offset = context.defaultOffset;
  else {
    throw new Hl7TimeZoneError(
      'HL7 time without a UTC offset and no timeZone configured: set timeZone (an IANA name such as Asia/Riyadh)',
    );
  }
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 4)}${offset}`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

/** HL7 `YYYYMMDD` of an ISO date (`1980-01-31` → `19800131`). */
export function toHl7Date(date: string): string {
  return date.replace(/-/g, '');
}

const SYSTEMS: Record<string, string> = {
  I9: 'http://hl7.org/fhir/sid/icd-9-cm',
  I9C: 'http://hl7.org/fhir/sid/icd-9-cm',
  ICD9: 'http://hl7.org/fhir/sid/icd-9-cm',
  I10: 'http://hl7.org/fhir/sid/icd-10',
  ICD10: 'http://hl7.org/fhir/sid/icd-10',
  I10C: 'http://hl7.org/fhir/sid/icd-10-cm',
  'ICD10-CM': 'http://hl7.org/fhir/sid/icd-10-cm',
  SCT: 'http://snomed.info/sct',
  SNM: 'http://snomed.info/sct',
  SNOMED: 'http://snomed.info/sct',
  LN: 'http://loinc.org',
  LOINC: 'http://loinc.org',
  HL70063: 'http://terminology.hl7.org/CodeSystem/v2-0063',
  HL70131: 'http://terminology.hl7.org/CodeSystem/v2-0131',
};

/** The HL7 table name (`HL70131`) of a FHIR system URI it has one for, else the URI. */
export function hl7SystemName(system: string | undefined): string | undefined {
  if (!system) return undefined;
  for (const [name, uri] of Object.entries(SYSTEMS)) if (uri === system && name.startsWith('HL7')) return name;
  return system;
}

/** The FHIR system URI of an HL7 coding-system name (table 0396), or the name itself. */
export function codingSystem(name: string): string | undefined {
  // `L` and `99zzz` name local code sets, which have no system URI.
  if (name === '' || name === 'L' || /^99[A-Z0-9]{3}$/i.test(name)) return undefined;
  return SYSTEMS[name.toUpperCase()] ?? name;
}

/** The codings of a CE/CWE repetition: the primary triplet and the alternate one. */
export function codings(rep: Rep | undefined, fallbackSystem = ''): Coding[] {
  const out: Coding[] = [];
  for (const start of [1, 4]) {
    const code = comp(rep, start);
    if (code === '') continue;
    const system = codingSystem(comp(rep, start + 2) || (start === 1 ? fallbackSystem : ''));
    const display = comp(rep, start + 1);
    out.push({ code, ...(system && { system }), ...(display && { display }) });
  }
  return out;
}

const ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;

/** True when text contains Arabic script. */
export function hasArabic(text: string): boolean {
  return ARABIC.test(text);
}

/** The message's time: EVN-2, else MSH-7, as ISO 8601. */
export function messageTime(msg: Hl7Message, options: Hl7MapOptions): string | undefined {
  return hl7DateTime(msg.get('EVN-2.1'), options) ?? hl7DateTime(msg.get('MSH-7.1'), options);
}
