import { identifierTypeFromCode } from '@hmi/core';
import { Contact } from '@hmi/core/schemas';
import type { Appointment as FhirAppointment, Patient } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  appointmentToFhirAppointment,
  contactToFhirPatient,
  type DroppedValue,
  fhirAppointmentToAppointment,
  fhirPatientToContact,
} from '../src/index.js';
import { fhirSchemaErrors, officialExamples, warmFhirSchema } from './fhir-schema.js';

// Probes of issue 12 (EHR fidelity, FHIR side): each names what it expects.
beforeAll(() => warmFhirSchema(), 120_000);

describe('telecom.rank decides the preferred phone, and is written back as read', () => {
  const patient: Patient = {
    resourceType: 'Patient',
    id: 'p1',
    telecom: [
      { system: 'phone', value: '+966112345678', use: 'home', rank: 2 },
      { system: 'phone', value: '+966555123456', use: 'mobile', rank: 1 },
      { system: 'email', value: 'fatima@example.sa', rank: 3 },
    ],
  };

  it('a rank-1 mobile listed after a rank-2 home number is the first (preferred) phone', () => {
    const contact = fhirPatientToContact(patient, { defaultRegion: 'SA' });
    expect(contact.phones.map((p) => [p.value, p.use])).toEqual([
      ['+966555123456', 'mobile'],
      ['+966112345678', 'home'],
    ]);
  });

  it('round trip: each telecom keeps its rank', () => {
    const back = contactToFhirPatient(fhirPatientToContact(patient, { defaultRegion: 'SA' }));
    const rankOf = (value: string) => back.telecom?.find((t) => t.value === value)?.rank;
    expect(rankOf('+966555123456')).toBe(1);
    expect(rankOf('+966112345678')).toBe(2);
    expect(rankOf('fatima@example.sa')).toBe(3);
    expect(fhirSchemaErrors(back)).toEqual([]);
    expect(fhirPatientToContact(back, { defaultRegion: 'SA' })).toEqual(fhirPatientToContact(patient, { defaultRegion: 'SA' }));
  });

  it('ranks with gaps are kept as they are (1 and 5 stay 1 and 5)', () => {
    const gapped: Patient = {
      resourceType: 'Patient',
      telecom: [
        { system: 'phone', value: '+971501234567', rank: 5 },
        { system: 'phone', value: '+201001234567', rank: 1 },
      ],
    };
    const contact = fhirPatientToContact(gapped);
    expect(contact.phones).toEqual([
      { value: '+201001234567', rank: 1 },
      { value: '+971501234567', rank: 5 },
    ]);
    expect(contactToFhirPatient(contact).telecom?.map((t) => t.rank)).toEqual([1, 5]);
  });
});

describe('Patient.contact: next of kin and guardians are related persons', () => {
  const patient: Patient = {
    resourceType: 'Patient',
    id: 'child-1',
    name: [{ family: 'الحربي', given: ['سارة'] }],
    contact: [
      {
        relationship: [
          { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'N', display: 'Next-of-Kin' }] },
        ],
        name: { family: 'الحربي', given: ['فاطمة'] },
        telecom: [
          { system: 'phone', value: '0555123456', use: 'mobile' },
          { system: 'fax', value: '0114445555' },
        ],
        gender: 'female',
      },
    ],
  };

  it('maps name, relationship and phones, and reports the fax', () => {
    const dropped: DroppedValue[] = [];
    const contact = fhirPatientToContact(patient, { defaultRegion: 'SA', onDropped: (d) => dropped.push(d) });
    expect(contact.relatedPersons).toEqual([
      {
        name: { family: 'الحربي', given: ['فاطمة'], language: 'ar' },
        relationship: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'N', display: 'Next-of-Kin' }],
        phones: [{ value: '+966555123456', use: 'mobile' }],
        gender: 'female',
      },
    ]);
    expect(dropped).toContainEqual({
      resourceType: 'Patient',
      field: 'contact.0.telecom.1',
      reason: 'unsupported_telecom_system',
    });
    expect(Contact.safeParse(contact).success).toBe(true);
  });

  it('round trip: next of kin come back the same, and the Patient validates', () => {
    const contact = fhirPatientToContact(patient, { defaultRegion: 'SA' });
    const written = contactToFhirPatient(contact);
    expect(fhirSchemaErrors(written)).toEqual([]);
    expect(written.contact?.[0]?.telecom).toEqual([{ system: 'phone', value: '+966555123456', use: 'mobile', rank: 1 }]);
    expect(fhirPatientToContact(written, { defaultRegion: 'SA' })).toEqual(contact);
  });

  it('every official example with contacts round-trips them', () => {
    let seen = 0;
    for (const { resource } of officialExamples('Patient-')) {
      const contact = fhirPatientToContact(resource as unknown as Patient, { defaultRegion: 'US' });
      if (!contact.relatedPersons) continue;
      seen++;
      const back = fhirPatientToContact(contactToFhirPatient(contact), { defaultRegion: 'US' });
      expect(back.relatedPersons).toEqual(contact.relatedPersons);
    }
    expect(seen).toBeGreaterThan(0);
  });
});

describe('deceased', () => {
  it('deceasedDateTime keeps its date, and is written back', () => {
    const contact = fhirPatientToContact({ resourceType: 'Patient', deceasedDateTime: '2024-03-01T10:15:00+03:00' });
    expect(contact).toMatchObject({ deceased: true, deceasedAt: '2024-03-01T10:15:00+03:00' });
    const back = contactToFhirPatient(contact);
    expect(back.deceasedDateTime).toBe('2024-03-01T10:15:00+03:00');
    expect(back.deceasedBoolean).toBeUndefined();
    expect(fhirSchemaErrors(back)).toEqual([]);
  });
});

describe('identifier types are one vocabulary with HL7 v2', () => {
  it('SS and DL map to the kinds the core vocabulary (and the HL7 connector) gives them', () => {
    const contact = fhirPatientToContact({
      resourceType: 'Patient',
      identifier: [
        {
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'SS' }] },
          system: 'http://hl7.org/fhir/sid/us-ssn',
          value: '123-45-6789',
        },
        { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'DL' }] }, value: 'D123' },
        { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, value: 'M1' },
      ],
    });
    expect(contact.identifiers.map((i) => i.type)).toEqual([
      identifierTypeFromCode('SS'),
      identifierTypeFromCode('DL'),
      identifierTypeFromCode('MR'),
    ]);
    expect(contact.identifiers).toEqual([
      { type: 'national-id', value: '123-45-6789', system: 'http://hl7.org/fhir/sid/us-ssn', code: 'SS' },
      { type: 'driver-license', value: 'D123' },
      { type: 'mrn', value: 'M1' },
    ]);
    // Written back with the code read: SS stays SS.
    const codes = contactToFhirPatient(contact).identifier?.map((i) => i.type?.coding?.[0]?.code);
    expect(codes).toEqual(['SS', 'DL', 'MR']);
  });
});

describe('telecom entries a Contact has no place for are reported', () => {
  it('fax, pager, url and other go to onDropped', () => {
    const dropped: DroppedValue[] = [];
    fhirPatientToContact(
      {
        resourceType: 'Patient',
        telecom: [
          { system: 'fax', value: '+966114445555' },
          { system: 'pager', value: '1234' },
          { system: 'url', value: 'https://example.sa' },
          { system: 'other', value: 'x' },
        ],
      },
      { onDropped: (d) => dropped.push(d) },
    );
    expect(dropped.map((d) => d.field)).toEqual(['telecom.0', 'telecom.1', 'telecom.2', 'telecom.3']);
    expect(new Set(dropped.map((d) => d.reason))).toEqual(new Set(['unsupported_telecom_system']));
  });
});

describe('appointments keep what the CRM shows', () => {
  it('every participant, comment, identifiers, service category and priority survive the trip', () => {
    for (const { file, resource } of officialExamples('Appointment-')) {
      const a = resource as unknown as FhirAppointment;
      const mapped = fhirAppointmentToAppointment(a);
      expect(mapped.participants?.length, file).toBe(a.participant?.length);
      if (a.comment) expect(mapped.comment).toBe(a.comment);
      if (a.priority !== undefined) expect(mapped.priority).toBe(a.priority);
      expect(mapped.identifiers?.length ?? 0).toBe(a.identifier?.length ?? 0);
      expect(mapped.serviceCategory?.length ?? 0).toBe(a.serviceCategory?.length ?? 0);
      const written = appointmentToFhirAppointment(mapped);
      expect(fhirSchemaErrors(written), file).toEqual([]);
      expect(written.participant.length).toBe(a.participant?.length);
      expect(fhirAppointmentToAppointment(written)).toEqual(mapped);
    }
  });

  it('keeps the "Phone Call" participant that has no actor reference', () => {
    const example = officialExamples('Appointment-').find((e) => JSON.stringify(e.resource).includes('Phone Call'));
    if (!example) throw new Error('the official examples changed: no Phone Call participant');
    const mapped = fhirAppointmentToAppointment(example.resource as unknown as FhirAppointment);
    expect(mapped.participants?.some((p) => p.display === 'Phone Call')).toBe(true);
  });
});
