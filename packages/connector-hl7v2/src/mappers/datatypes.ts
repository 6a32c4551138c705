import type { Coding } from '@hmi/core';
import type { Hl7Message } from '../parser/message.js';

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
   * UTC offset for HL7 times written without one (`+03:00` for Riyadh). Default `Z`: HL7 leaves
   * such times in the sender's local zone, which only the interface's configuration knows.
   */
  defaultOffset?: string;
}

/** One repetition of a field: components of subcomponents, decoded. */
export type Rep = string[][];

/** Component `i` (1-based), first subcomponent, trimmed; `''` when absent. */
export function comp(rep: Rep | undefined, i: number): string {
  return (rep?.[i - 1]?.[0] ?? '').trim();
}

/** Subcomponent `j` of component `i` (1-based), trimmed; `''` when absent. */
export function sub(rep: Rep | undefined, i: number, j: number): string {
  return (rep?.[i - 1]?.[j - 1] ?? '').trim();
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

/** An ISO 8601 date-time from an HL7 DTM/TS (`198908181126+0215` → `1989-08-18T11:26:00+02:15`). */
export function hl7DateTime(ts: string | undefined, defaultOffset = 'Z'): string | undefined {
  const m = ts ? TS.exec(ts.trim()) : null;
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const offset = zone ? `${zone.slice(0, 3)}:${zone.slice(3)}` : defaultOffset;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 4)}${offset}`;
  const t = Date.parse(iso);
  if (Number.isNaN(t) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59)
    return undefined;
  return iso;
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
};

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
  return hl7DateTime(msg.get('EVN-2.1'), options.defaultOffset) ?? hl7DateTime(msg.get('MSH-7.1'), options.defaultOffset);
}
