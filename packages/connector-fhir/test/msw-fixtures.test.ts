import { Contact } from '@hmi/core/schemas';
import { createFhirServerFake, fhirFixtures } from '@hmi/connector-fhir/msw';
import { fhirPatientToContact } from '@hmi/connector-fhir';
import { beforeAll, describe, expect, it } from 'vitest';
import { fhirSchemaErrors, warmFhirSchema } from './fhir-schema.js';

beforeAll(() => warmFhirSchema(), 120_000);

describe('@hmi/connector-fhir/msw fixtures and responses', () => {
  it('every fixture validates against the FHIR R4 schema and maps to a Contact', () => {
    const fx = fhirFixtures();
    const all = [...fx.patients, ...fx.conditions, ...fx.appointments];
    expect(all.length).toBeGreaterThanOrEqual(8);
    for (const resource of all) expect([resource.id, fhirSchemaErrors(resource)]).toEqual([resource.id, []]);
    for (const patient of fx.patients)
      expect(Contact.safeParse(fhirPatientToContact(patient, { defaultRegion: 'SA' })).success).toBe(true);
  });

  it('fixtures are a fresh copy on each call (no shared mutable state)', () => {
    const a = fhirFixtures();
    a.patients[0]!.gender = 'other';
    expect(fhirFixtures().patients[0]!.gender).toBe('male');
  });

  it('the fake answers with schema-valid Bundles, CapabilityStatement, reads and OperationOutcomes', async () => {
    const fake = createFhirServerFake({ baseUrl: 'https://fhir.test/R4' });
    const get = async (path: string) => (await fake.handle(new Request(`https://fhir.test/R4/${path}`))).json();
    const bundle = await get('Patient?_count=2&_sort=_lastUpdated');
    expect(fhirSchemaErrors(bundle)).toEqual([]);
    const next = (bundle as { link: Array<{ relation: string; url: string }> }).link.find((l) => l.relation === 'next')!.url;
    expect(fhirSchemaErrors(await (await fake.handle(new Request(next))).json())).toEqual([]);
    expect(fhirSchemaErrors(await get('Patient?_elements=name,telecom'))).toEqual([]);
    expect(fhirSchemaErrors(await get('metadata'))).toEqual([]);
    expect(fhirSchemaErrors(await get('Appointment/appt-1'))).toEqual([]);
    const missing = await get('Patient/none');
    expect(missing).toMatchObject({ resourceType: 'OperationOutcome' });
    expect(fhirSchemaErrors(missing)).toEqual([]);
  });
});
