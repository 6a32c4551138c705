// fhirPatientToContact (the fast, copy-free mapper) against a naive zod 4 + libphonenumber-js
// mapper written from the FHIR spec (test/naive-patient-mapper.ts): on 1,000 real Patients from
// ../shared/corpora (HL7's official examples, then Synthea) the Contacts are deep-equal, and on
// random mutations of them (Gulf phone formats, ranks, nulls in primitive arrays, wrong types) both
// accept and refuse the same resources and agree on every Contact.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { isHmiError } from '@hmi/core';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { fhirPatientToContact } from '../src/index.js';
import { DEFAULT_IDENTIFIER_SYSTEMS, identifierKind } from '../src/mappers/identifiers.js';
import { fhirCorpusDir } from './fhir-schema.js';
import { naivePatientToContact } from './naive-patient-mapper.js';

const examplesDir = fhirCorpusDir('hl7-r4-examples');
const syntheaDir = fhirCorpusDir('synthea');
const phonesFile = join(fhirCorpusDir('synthea'), '..', '..', 'phones', 'gulf-egypt-200.json');

/** Every Patient in a resource: itself, or the Patients of a Bundle's entries. */
function patientsIn(resource: { resourceType?: string; entry?: Array<{ resource?: unknown }> }): unknown[] {
  if (resource.resourceType === 'Patient') return [resource];
  if (resource.resourceType === 'Bundle')
    return (resource.entry ?? []).flatMap((e) => (e.resource ? patientsIn(e.resource as never) : []));
  return [];
}

const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => patientsIn(JSON.parse(readFileSync(join(examplesDir, f), 'utf8'))));
const synthea = readdirSync(syntheaDir)
  .filter((f) => f.startsWith('Patient.') && f.endsWith('.ndjson'))
  .sort()
  .flatMap((f) =>
    readFileSync(join(syntheaDir, f), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as unknown),
  );
const corpus = [...examples, ...synthea].slice(0, 1000);
const gulfPhones = (JSON.parse(readFileSync(phonesFile, 'utf8')) as Array<{ raw: string; defaultRegion: string }>).map(
  (p) => p.raw,
);

type Outcome = { ok: true; contact: unknown } | { ok: false };
function ours(resource: unknown, region: string): Outcome {
  try {
    return { ok: true, contact: fhirPatientToContact(resource as never, { defaultRegion: region }) };
  } catch (error) {
    // Refusals must be typed errors; anything else (a TypeError: a crash) fails the test.
    if (!isHmiError(error) || error.code !== 'invalid_response') throw error;
    return { ok: false };
  }
}
function naive(resource: unknown, region: string): Outcome {
  try {
    return { ok: true, contact: naivePatientToContact(resource, { defaultRegion: region }) };
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    return { ok: false };
  }
}

describe('fhirPatientToContact vs a naive zod 4 + libphonenumber-js mapper', () => {
  it('collects 1,000 Patients from the corpora (HL7 examples and Synthea)', () => {
    expect(examples.length).toBeGreaterThan(5);
    expect(corpus).toHaveLength(1000);
  });

  it('maps the 1,000 corpus Patients to deep-equal Contacts', () => {
    let mapped = 0;
    for (const [i, resource] of corpus.entries()) {
      const a = ours(resource, 'US');
      const b = naive(resource, 'US');
      expect(a.ok, `record ${i}`).toBe(b.ok);
      if (a.ok && b.ok) {
        expect(a.contact, `record ${i}`).toStrictEqual(b.contact);
        mapped++;
      }
    }
    // Every corpus Patient is valid FHIR: none may be refused by either mapper.
    expect(mapped).toBe(1000);
  });

  it('leaves the vendor resource untouched (validation reads it in place, never writes it)', () => {
    const copy = structuredClone(corpus);
    for (const r of corpus) ours(r, 'SA');
    expect(corpus).toStrictEqual(copy);
  });

  // Random edits of corpus Patients: each replaces one element the mapper reads with another value
  // (of the right type or not), so both mappers see valid, odd and invalid resources.
  const anyValue = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('', ' ', 'مستشفى', 'ar', 'en-US', 'official', 'phone', 'sms', 'email', 'mobile', 'home', '2024-02-30'),
    fc.integer({ min: -2, max: 5 }),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.constant([]),
    fc.constant({}),
    fc.constant([null, 'Ali']),
  );
  const point = fc.record(
    {
      system: fc.constantFrom('phone', 'sms', 'email', 'fax', 'url', 3),
      value: fc.oneof(fc.constantFrom(...gulfPhones), fc.constantFrom('a@b.sa', ' x@y.ae ', 'not-an-email', ''), anyValue),
      use: fc.constantFrom('mobile', 'home', 'work', 'old', 'bogus'),
      rank: fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constant(1.5), anyValue),
    },
    { requiredKeys: ['system'] },
  );
  const edit = fc.oneof(
    fc.record({ path: fc.constant(['telecom']), value: fc.array(point, { maxLength: 5 }) }),
    fc.record({
      path: fc.constant(['contact']),
      value: fc.array(fc.record({ telecom: fc.array(point, { maxLength: 3 }), gender: anyValue }, { requiredKeys: [] }), {
        maxLength: 2,
      }),
    }),
    fc.record({
      path: fc.constantFrom(
        ['id'],
        ['active'],
        ['gender'],
        ['birthDate'],
        ['deceasedBoolean'],
        ['deceasedDateTime'],
        ['meta'],
        ['meta', 'lastUpdated'],
        ['name'],
        ['name', 0, 'given'],
        ['name', 0, 'family'],
        ['name', 0, 'use'],
        ['name', 0, 'extension'],
        ['name', 0, 'text'],
        ['identifier'],
        ['identifier', 0, 'value'],
        ['identifier', 0, 'system'],
        ['identifier', 0, 'type'],
        ['address'],
        ['address', 0, 'line'],
        ['address', 0, 'city'],
        ['maritalStatus'],
        ['maritalStatus', 'coding'],
        ['communication'],
        ['communication', 0, 'language'],
        ['communication', 0, 'preferred'],
        ['resourceType'],
        ['telecom', 0, 'rank'],
      ),
      value: anyValue,
    }),
  );
  const region = fc.constantFrom('SA', 'AE', 'EG', 'US');

  it('agrees with the naive mapper on random edits of corpus Patients (accepts, refuses, maps alike)', () => {
    const seen = { mapped: 0, refused: 0 };
    fc.assert(
      fc.property(fc.nat(corpus.length - 1), fc.array(edit, { minLength: 1, maxLength: 4 }), region, (index, edits, r) => {
        const resource = structuredClone(corpus[index]) as Record<string, unknown>;
        for (const { path, value } of edits) {
          let target: Record<string | number, unknown> | undefined = resource;
          for (const key of path.slice(0, -1)) {
            const next: unknown = target?.[key as string];
            target = next !== null && typeof next === 'object' ? (next as Record<string, unknown>) : undefined;
          }
          if (target) target[path.at(-1) as string] = structuredClone(value);
        }
        const a = ours(resource, r);
        const b = naive(resource, r);
        expect(a.ok).toBe(b.ok);
        if (a.ok && b.ok) expect(a.contact).toStrictEqual(b.contact);
        seen[a.ok ? 'mapped' : 'refused']++;
      }),
      { numRuns: 400 },
    );
    // The edits must exercise both sides: resources that map and resources that are refused.
    expect(seen.mapped).toBeGreaterThan(40);
    expect(seen.refused).toBeGreaterThan(40);
  });

  it('finds an identifier kind by system as a merge of the default and configured systems would', () => {
    const kinds = ['mrn', 'national-id', 'iqama', 'passport', 'insurance'] as const;
    const systems = ['urn:a', 'urn:b', ...Object.values(DEFAULT_IDENTIFIER_SYSTEMS)];
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...kinds), fc.option(fc.constantFrom(...systems), { nil: undefined }), { maxKeys: 5 }),
        fc.constantFrom(...systems),
        (configured, system) => {
          // The reference: the spread the mapper used to build per identifier, searched in order.
          const merged = { ...DEFAULT_IDENTIFIER_SYSTEMS, ...configured } as Record<string, string | undefined>;
          // No system matches: the name of the system decides (the mapper's documented last resort).
          const byName = /iqama/.test(system)
            ? 'iqama'
            : /national/.test(system)
              ? 'national-id'
              : /passport/.test(system)
                ? 'passport'
                : 'other';
          const expected = Object.entries(merged).find(([, s]) => s === system)?.[0] ?? byName;
          expect(identifierKind({ system }, configured)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
