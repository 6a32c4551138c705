import type { StoredResource } from './memory-store.js';

/** Elements `_elements=deceased` (a choice type) stands for. */
const CHOICE_PREFIXES = ['deceased', 'onset', 'abatement', 'multipleBirth'];

type Telecom = { system?: string; value?: string };
type Name = { text?: string; family?: string; given?: string[]; prefix?: string[]; suffix?: string[] };
type Ident = { system?: string; value?: string };

function splitOr(value: string): string[] {
  // FHIR escapes a literal comma as `\,`.
  return value.split(/(?<!\\),/).map((v) => v.replace(/\\,/g, ','));
}

function tokenMatches(token: string, identifiers: Ident[]): boolean {
  const bar = token.indexOf('|');
  if (bar < 0) return identifiers.some((i) => i.value === token);
  const system = token.slice(0, bar);
  const value = token.slice(bar + 1);
  return identifiers.some((i) => (system === '' ? !i.system : i.system === system) && (value === '' || i.value === value));
}

function dateMatches(param: string, lastUpdated: string): boolean {
  const match = /^(eq|ne|gt|lt|ge|le|sa|eb)?(.+)$/.exec(param);
  if (!match) return false;
  const target = Date.parse(match[2]!);
  const value = Date.parse(lastUpdated);
  if (Number.isNaN(target) || Number.isNaN(value)) return false;
  switch (match[1] ?? 'eq') {
    case 'gt':
    case 'sa':
      return value > target;
    case 'ge':
      return value >= target;
    case 'lt':
    case 'eb':
      return value < target;
    case 'le':
      return value <= target;
    case 'ne':
      return value !== target;
    default:
      return value === target;
  }
}

const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** Whether a resource matches one search parameter (the subset the fake implements). */
function matches(resource: StoredResource, name: string, value: string): boolean {
  const telecom = (resource.telecom as Telecom[] | undefined) ?? [];
  switch (name) {
    case '_id':
      return splitOr(value).includes(resource.id);
    case '_lastUpdated':
      return dateMatches(value, resource.meta.lastUpdated);
    case 'identifier':
      return splitOr(value).some((t) => tokenMatches(t, (resource.identifier as Ident[] | undefined) ?? []));
    case 'phone':
      return splitOr(value).some((v) => telecom.some((t) => (t.system === 'phone' || t.system === 'sms') && t.value === v));
    case 'email':
      return splitOr(value).some((v) => telecom.some((t) => t.system === 'email' && t.value?.toLowerCase() === v.toLowerCase()));
    case 'name': {
      const names = (resource.name as Name[] | undefined) ?? [];
      const parts = names.flatMap((n) => [n.text, n.family, ...(n.given ?? []), ...(n.prefix ?? []), ...(n.suffix ?? [])]);
      const words = parts.flatMap((p) => (p ? [p, ...p.split(/\s+/)] : []));
      return splitOr(value).some((v) => words.some((w) => fold(w).startsWith(fold(v))));
    }
    case 'patient':
    case 'subject': {
      const refs = [
        (resource.subject as { reference?: string } | undefined)?.reference,
        ...((resource.participant as Array<{ actor?: { reference?: string } }> | undefined) ?? []).map((p) => p.actor?.reference),
      ];
      return splitOr(value).some((v) => refs.some((r) => r === v || r === `Patient/${v}`));
    }
    default:
      return true;
  }
}

/** Parameters that shape the result rather than filter it. */
const RESULT_PARAMS = new Set(['_count', '_sort', '_elements', '_summary', '_format', '_total']);

/** The resources matching a query (every filter ANDed), sorted as `_sort` asks. */
export function search(resources: StoredResource[], params: URLSearchParams): StoredResource[] {
  const filters = [...params.entries()].filter(([k]) => !RESULT_PARAMS.has(k));
  const found = resources.filter((r) => filters.every(([k, v]) => matches(r, k, v)));
  const sort = params.get('_sort');
  if (sort === '_lastUpdated' || sort === '-_lastUpdated') {
    const dir = sort.startsWith('-') ? -1 : 1;
    found.sort((a, b) => dir * (Date.parse(a.meta.lastUpdated) - Date.parse(b.meta.lastUpdated)) || a.id.localeCompare(b.id));
  } else {
    found.sort((a, b) => a.id.localeCompare(b.id));
  }
  return found;
}

/** A copy with only the elements asked for (plus id and meta), tagged SUBSETTED as FHIR requires. */
export function subset(resource: StoredResource, elements: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { resourceType: resource.resourceType, id: resource.id };
  for (const [key, value] of Object.entries(resource)) {
    if (elements.includes(key) || CHOICE_PREFIXES.some((p) => elements.includes(p) && key.startsWith(p))) out[key] = value;
  }
  const tag = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' };
  out.meta = { ...resource.meta, tag: [...((resource.meta.tag as unknown[]) ?? []), tag] };
  return out;
}
