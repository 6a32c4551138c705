import { Appointment, Condition, Contact } from '@hmi/core/schemas';
import {
  appointmentToFhirAppointment,
  conditionToFhirCondition,
  contactToFhirPatient,
  type DroppedValue,
  fhirAppointmentToAppointment,
  fhirConditionToCondition,
  fhirPatientToContact,
} from '@hmi/connector-fhir';
import { beforeAll, describe, expect, it } from 'vitest';
import { fhirSchemaErrors, officialExamples, warmFhirSchema } from './fhir-schema.js';

beforeAll(() => warmFhirSchema(), 120_000);

// Every official example is read from ../shared/specs at test time; none is copied here.
const patients = officialExamples('Patient-');
const conditions = officialExamples('Condition-');
const appointments = officialExamples('Appointment-').filter((e) => e.resource.resourceType === 'Appointment');

describe('official HL7 R4 examples map without error', () => {
  it('found the examples (the folder is read, not assumed)', () => {
    expect(patients.length).toBeGreaterThanOrEqual(20);
    expect(conditions.length).toBeGreaterThanOrEqual(10);
    expect(appointments.length).toBeGreaterThanOrEqual(3);
  });

  it.each(patients.map((e) => [e.file, e.resource] as const))('%s → Contact → Patient (schema-valid)', (_file, resource) => {
    const dropped: DroppedValue[] = [];
    const contact = fhirPatientToContact(resource as never, { onDropped: (d) => dropped.push(d) });
    expect(Contact.safeParse(contact).success).toBe(true);
    expect(contact.source).toEqual({ system: 'fhir', id: resource.id });
    const names = (resource.name as unknown[] | undefined) ?? [];
    expect(contact.names.length).toBeLessThanOrEqual(names.length);
    const back = contactToFhirPatient(contact);
    expect(fhirSchemaErrors(back)).toEqual([]);
    // Round trip: the canonical view is stable.
    expect(fhirPatientToContact(back, {})).toMatchObject({
      names: contact.names,
      identifiers: contact.identifiers,
      phones: contact.phones,
    });
    for (const d of dropped) expect(JSON.stringify(d)).not.toMatch(/\d{6,}/);
  });

  it.each(conditions.map((e) => [e.file, e.resource] as const))('%s → Condition → FHIR (schema-valid)', (_file, resource) => {
    const condition = fhirConditionToCondition(resource as never);
    expect(Condition.safeParse(condition).success).toBe(true);
    if (condition.contactId) {
      const back = conditionToFhirCondition(condition);
      expect(fhirSchemaErrors(back)).toEqual([]);
      expect(fhirConditionToCondition(back)).toMatchObject({ code: condition.code, clinicalStatus: condition.clinicalStatus });
    } else {
      expect(() => conditionToFhirCondition(condition)).toThrow(/contactId/);
    }
  });

  it.each(appointments.map((e) => [e.file, e.resource] as const))('%s → Appointment → FHIR (schema-valid)', (_file, resource) => {
    const appointment = fhirAppointmentToAppointment(resource as never);
    expect(Appointment.safeParse(appointment).success).toBe(true);
    const back = appointmentToFhirAppointment(appointment);
    expect(fhirSchemaErrors(back)).toEqual([]);
    const again = fhirAppointmentToAppointment(back);
    expect([again.status, again.start, again.contactId, again.practitioner?.id]).toEqual([
      appointment.status,
      appointment.start,
      appointment.contactId,
      appointment.practitioner?.id,
    ]);
  });
});

describe('example details are carried over', () => {
  it('Patient-example: several names with use, phones by region, deceased, address', () => {
    const example = patients.find((e) => e.file === 'Patient-example.json')!.resource;
    const contact = fhirPatientToContact(example as never, { defaultRegion: 'AU' });
    expect(contact.names.map((n) => n.use)).toEqual(['official', 'usual', 'maiden']);
    expect(contact.names[0]).toMatchObject({ family: 'Chalmers', given: ['Peter', 'James'] });
    expect(contact.phones.map((p) => p.value)).toContain('+61355556473');
    expect(contact.phones.every((p) => /^\+\d+$/.test(p.value))).toBe(true);
    expect(contact.identifiers[0]).toMatchObject({ type: 'mrn', value: '12345', system: 'urn:oid:1.2.36.146.595.217.0.1' });
    expect(contact.addresses[0]).toMatchObject({ city: 'PleasantVille', postalCode: '3999' });
    expect(contact.birthDate).toBe('1974-12-25');
  });

  it('Patient-example without a region: local numbers are reported as dropped, not lost silently', () => {
    const example = patients.find((e) => e.file === 'Patient-example.json')!.resource;
    const dropped: DroppedValue[] = [];
    const contact = fhirPatientToContact(example as never, { onDropped: (d) => dropped.push(d) });
    expect(contact.phones).toEqual([]);
    expect(dropped.filter((d) => d.reason === 'invalid_phone').length).toBeGreaterThan(0);
    expect(dropped[0]).toEqual({
      resourceType: 'Patient',
      field: expect.stringMatching(/^telecom\.\d+\.value$/),
      reason: 'invalid_phone',
    });
  });

  it('Patient-f001: email, Dutch mobile with region NL, communication language, marital status', () => {
    const example = patients.find((e) => e.file === 'Patient-f001.json')!.resource;
    const contact = fhirPatientToContact(example as never, { defaultRegion: 'NL' });
    expect(contact.emails).toEqual([{ value: 'p.heuvel@gmail.com', use: 'home' }]);
    expect(contact.phones).toEqual([{ value: '+31648352638', use: 'mobile' }]);
    expect(contact.languages).toEqual(['nl']);
    expect(contact.maritalStatus?.code).toBe('M');
  });

  it('Patient-pat3: deceasedDateTime means deceased', () => {
    const example = patients.find((e) => e.file === 'Patient-pat3.json')!.resource;
    expect(fhirPatientToContact(example as never).deceased).toBe(true);
  });

  it('Condition-example2: onsetString and code.text', () => {
    const example = conditions.find((e) => e.file === 'Condition-example2.json')!.resource;
    expect(fhirConditionToCondition(example as never)).toMatchObject({
      text: 'Asthma',
      onset: 'approximately November 2012',
      contactId: 'example',
      clinicalStatus: 'active',
      verificationStatus: 'confirmed',
    });
  });

  it('Appointment-example: patient, practitioner and location participants', () => {
    const example = appointments.find((e) => e.file === 'Appointment-example.json')!.resource;
    const a = fhirAppointmentToAppointment(example as never);
    expect(a.contactId).toBe('example');
    expect(a.practitioner?.id).toBe('example');
    expect(a.location?.display).toBeTruthy();
    expect(a.status).toBe('booked');
  });
});
