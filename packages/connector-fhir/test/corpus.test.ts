// Regression suite over the FHIR corpora (shared/corpora/fhir: 1,157 Synthea patients and HL7's
// official examples; provenance in its SOURCES.md): every mapper change runs it. Invariants plus a
// snapshot of the counts, so any change in what maps is seen in review.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHmiError } from '@hmi/core';
import type { Patient } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { contactToFhirPatient, type DroppedValue, fhirPatientToContact } from '../src/index.js';
import { fhirCorpusDir, fhirSchemaErrors, warmFhirSchema } from './fhir-schema.js';

const synthea = fhirCorpusDir('synthea');
const examples = fhirCorpusDir('hl7-r4-examples');
const patients: Array<{ name: string; resource: Patient }> = [
  ...readdirSync(synthea)
    .filter((f) => f.startsWith('Patient.') && f.endsWith('.ndjson'))
    .sort()
    .flatMap((f) =>
      readFileSync(join(synthea, f), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l, i) => ({ name: `${f}:${i + 1}`, resource: JSON.parse(l) as Patient })),
    ),
  ...readdirSync(examples)
    .filter((f) => f.startsWith('Patient-') && f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f, resource: JSON.parse(readFileSync(join(examples, f), 'utf8')) as Patient })),
];
const E164 = /^\+[1-9]\d{6,14}$/;

beforeAll(() => warmFhirSchema(), 120_000);

describe(`FHIR patient corpus (${patients.length} patients)`, () => {
  const mapped = patients.map(({ name, resource }) => {
    const dropped: DroppedValue[] = [];
    try {
      return {
        name,
        resource,
        contact: fhirPatientToContact(resource, { defaultRegion: 'US', onDropped: (d) => dropped.push(d) }),
        dropped,
      };
    } catch (error) {
      if (!isHmiError(error)) throw error; // a crash fails the suite
      return { name, resource, error: error.code, dropped };
    }
  });

  it('is the corpus the suite was written for', () => {
    expect(patients.length).toBeGreaterThanOrEqual(1157);
  });

  it('counts (snapshot)', () => {
    const count = (f: (m: (typeof mapped)[number]) => number) => mapped.reduce((n, m) => n + f(m), 0);
    const reasons: Record<string, number> = {};
    for (const m of mapped) for (const d of m.dropped) reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
    const identifiersByType: Record<string, number> = {};
    for (const i of mapped.flatMap((m) => m.contact?.identifiers ?? [])) {
      identifiersByType[i.type] = (identifiersByType[i.type] ?? 0) + 1;
    }
    expect({
      patients: mapped.length,
      errors: count((m) => (m.error ? 1 : 0)),
      phones: count((m) => m.contact?.phones.length ?? 0),
      emails: count((m) => m.contact?.emails.length ?? 0),
      deceased: count((m) => (m.contact?.deceasedAt ? 1 : 0)),
      relatedPersons: count((m) => m.contact?.relatedPersons?.length ?? 0),
      identifiersByType,
      dropped: Object.fromEntries(Object.entries(reasons).sort()),
    }).toMatchSnapshot();
  });

  it('every source phone is E.164 in the contact or reported through onDropped', () => {
    for (const m of mapped) {
      if (!m.contact) continue;
      const sourcePhones = (m.resource.telecom ?? []).filter((t) => (t.system === 'phone' || t.system === 'sms') && t.value);
      const invalid = m.dropped.filter((d) => d.reason === 'invalid_phone' && d.field.startsWith('telecom.')).length;
      for (const p of m.contact.phones) expect(p.value).toMatch(E164);
      // Duplicates (the same number twice) are merged; nothing else may disappear.
      expect(m.contact.phones.length + invalid).toBeLessThanOrEqual(sourcePhones.length);
      expect(m.contact.phones.length + invalid).toBeGreaterThanOrEqual(Math.min(1, sourcePhones.length));
    }
  });

  it('every deceasedDateTime keeps its date', () => {
    for (const m of mapped) {
      if (m.resource.deceasedDateTime) expect(m.contact?.deceasedAt).toBe(m.resource.deceasedDateTime);
    }
  });

  it('round trip: every contact writes a Patient that validates and reads back the same', () => {
    for (const m of mapped) {
      if (!m.contact) continue;
      const written = contactToFhirPatient(m.contact);
      const errors = fhirSchemaErrors(written);
      if (errors.length > 0) throw new Error(`${m.name}: ${errors.join('; ')}`);
      // meta.lastUpdated is the server's to set: not written, so not read back.
      const { updatedAt: _u, ...expected } = m.contact;
      expect(fhirPatientToContact(written, { defaultRegion: 'US' }), m.name).toEqual(expected);
    }
  }, 120_000);
});
