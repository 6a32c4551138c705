import { ValidationError } from '@hmi/core';
import { Contact } from '@hmi/core/schemas';
import {
  appointmentToFhirAppointment,
  conditionToFhirCondition,
  contactToFhirPatient,
  fhirPatientToContact,
  identifierKind,
  LANGUAGE_EXTENSION,
} from '@hmi/connector-fhir';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fhirSchemaErrors, warmFhirSchema } from './fhir-schema.js';

beforeAll(() => warmFhirSchema(), 120_000);

describe('Patient ⇄ Contact details', () => {
  it('Arabic and English names keep use, text, parts and language both ways', () => {
    const contact = Contact.parse({
      names: [
        { use: 'official', language: 'ar', text: 'محمد عبدالله الأحمد', family: 'الأحمد', given: ['محمد', 'عبدالله'] },
        { use: 'usual', language: 'en', text: 'Mohammed Al-Ahmad', family: 'Al-Ahmad', given: ['Mohammed'], prefix: ['Mr.'] },
      ],
    });
    const patient = contactToFhirPatient(contact);
    expect(patient.name).toEqual([
      {
        extension: [{ url: LANGUAGE_EXTENSION, valueCode: 'ar' }],
        use: 'official',
        text: 'محمد عبدالله الأحمد',
        family: 'الأحمد',
        given: ['محمد', 'عبدالله'],
      },
      {
        extension: [{ url: LANGUAGE_EXTENSION, valueCode: 'en' }],
        use: 'usual',
        text: 'Mohammed Al-Ahmad',
        family: 'Al-Ahmad',
        given: ['Mohammed'],
        prefix: ['Mr.'],
      },
    ]);
    expect(fhirSchemaErrors(patient)).toEqual([]);
    expect(fhirPatientToContact(patient).names).toEqual(contact.names);
  });

  it('an Arabic name without a language tag is recognised as Arabic; a Latin one is not guessed', () => {
    const contact = fhirPatientToContact({ resourceType: 'Patient', name: [{ text: 'فاطمة الزهراني' }, { family: 'Smith' }] });
    expect(contact.names).toEqual([{ text: 'فاطمة الزهراني', language: 'ar' }, { family: 'Smith' }]);
  });

  it('identifiers: MRN, national ID, Iqama and passport by system, v2-0203 code or name', () => {
    expect(identifierKind({ system: 'http://nphies.sa/identifier/iqama', value: '2' })).toBe('iqama');
    expect(identifierKind({ type: { coding: [{ code: 'PRC' }] }, value: '2' })).toBe('iqama');
    expect(identifierKind({ type: { coding: [{ code: 'NI' }] }, value: '1' })).toBe('national-id');
    expect(identifierKind({ system: 'https://moi.gov.sa/national-id', value: '1' })).toBe('national-id');
    expect(identifierKind({ type: { text: 'Iqama number' }, value: '2' })).toBe('iqama');
    expect(identifierKind({ type: { coding: [{ code: 'MR' }] }, value: 'x' })).toBe('mrn');
    expect(identifierKind({ system: 'https://h.example/mrn', value: 'x' }, { mrn: 'https://h.example/mrn' })).toBe('mrn');
    expect(identifierKind({ system: 'urn:oid:1.2.3', value: 'x' })).toBe('other');
    const patient = contactToFhirPatient(
      {
        identifiers: [
          { type: 'mrn', value: 'M1' },
          { type: 'national-id', value: '1012345678' },
        ],
      },
      { identifierSystems: { mrn: 'https://h.example/mrn', 'national-id': 'https://moi.example/nid' } },
    );
    expect(patient.identifier).toEqual([
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
        system: 'https://h.example/mrn',
        value: 'M1',
      },
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NI' }] },
        system: 'https://moi.example/nid',
        value: '1012345678',
      },
    ]);
  });

  it('phones in local, spaced, 00 and Arabic-Indic forms become one E.164 number per default region', () => {
    const contact = fhirPatientToContact(
      {
        resourceType: 'Patient',
        telecom: [
          { system: 'phone', value: '0551234567', use: 'mobile' },
          { system: 'phone', value: '+966 55 123 4567' },
          { system: 'sms', value: '00966551234567' },
          { system: 'phone', value: '٠٥٠٧٦٥٤٣٢١', use: 'home' },
          { system: 'phone', value: '+20 100 123 4567', use: 'work' },
        ],
      },
      { defaultRegion: 'SA' },
    );
    expect(contact.phones).toEqual([
      { value: '+966551234567', use: 'mobile' },
      { value: '+966507654321', use: 'home' },
      { value: '+201001234567', use: 'work' },
    ]);
  });

  it('a structurally wrong Patient throws a ValidationError with the path only', () => {
    const error = (() => {
      try {
        fhirPatientToContact({ resourceType: 'Patient', telecom: 'هيفاء +966551234567' } as never);
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(error!.issues[0]!.path).toEqual(['telecom']);
    expect(error!.message + JSON.stringify(error)).not.toContain('هيفاء');
  });
});

const arabicWord = fc.string({ unit: fc.constantFrom(...'ابتثجحخدذرزسشصضطظعغفقكلمنهوي'), minLength: 1, maxLength: 8 });
const latinWord = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 1, maxLength: 8 });
const word = fc.oneof(arabicWord, latinWord);
const contactArb = fc.record({
  identifiers: fc.array(
    fc.record({ type: fc.constantFrom('mrn', 'national-id', 'iqama', 'passport', 'insurance', 'other'), value: latinWord }),
    { maxLength: 3 },
  ),
  names: fc.array(
    fc.record(
      {
        use: fc.constantFrom('official', 'usual', 'nickname', 'maiden'),
        text: fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
        family: word,
        given: fc.array(word, { maxLength: 2 }),
        language: fc.constantFrom('ar', 'en', 'ar-SA'),
      },
      { requiredKeys: ['use'] },
    ),
    { maxLength: 3 },
  ),
  gender: fc.constantFrom('male', 'female', 'other', 'unknown'),
  birthDate: fc.constantFrom('1980', '1980-02', '1980-02-29'),
  phones: fc.array(
    fc.record({
      value: fc.constantFrom('+966551234567', '+971501234567', '+201001234567'),
      use: fc.constantFrom('mobile', 'home'),
    }),
    {
      maxLength: 2,
    },
  ),
  emails: fc.array(fc.record({ value: fc.constantFrom('a@example.sa', 'b.c@example.ae') }), { maxLength: 2 }),
  addresses: fc.array(
    fc.record({ city: word, line: fc.array(word, { maxLength: 2 }), country: fc.constantFrom('SA', 'AE', 'EG') }),
    { maxLength: 2 },
  ),
  languages: fc.uniqueArray(fc.constantFrom('ar', 'en', 'fr'), { maxLength: 3 }),
  active: fc.boolean(),
  deceased: fc.boolean(),
});

describe('everything written toward FHIR validates against the R4 schema (property)', () => {
  it('any Contact → Patient', () => {
    fc.assert(
      fc.property(contactArb, (input) => {
        const patient = contactToFhirPatient(input);
        expect(fhirSchemaErrors(patient)).toEqual([]);
        const back = fhirPatientToContact(patient);
        // A name with nothing but a `use` carries no name and is not written.
        const written = Contact.parse(input).names.filter((n) => n.text || n.family || n.given?.length);
        // An untagged name in Arabic script is read back as Arabic.
        const language = (n: (typeof written)[number]) =>
          n.language ?? (/[\u0600-\u06FF]/.test([n.text, n.family, ...(n.given ?? [])].join('')) ? 'ar' : undefined);
        expect(back.names.map((n) => [n.text, n.family, n.language])).toEqual(
          written.map((n) => [n.text, n.family, language(n)]),
        );
        expect(back.phones).toEqual(
          Contact.parse(input).phones.filter((p, i, all) => all.findIndex((q) => q.value === p.value) === i),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('any Condition and Appointment', () => {
    fc.assert(
      fc.property(
        fc.record({
          code: fc.array(fc.record({ system: fc.constant('http://hl7.org/fhir/sid/icd-10'), code: latinWord, display: word }), {
            maxLength: 2,
          }),
          text: fc.option(word, { nil: undefined }),
          clinicalStatus: fc.constantFrom('active', 'resolved', 'remission'),
          onset: fc.constantFrom('2020', '2020-01-02', 'childhood', '2020-01-02T10:00:00+03:00'),
        }),
        fc.constantFrom('booked', 'proposed', 'cancelled', 'fulfilled', 'waitlist'),
        fc.integer({ min: 5, max: 120 }),
        (condition, status, minutes) => {
          expect(fhirSchemaErrors(conditionToFhirCondition({ ...condition, contactId: 'p1' }))).toEqual([]);
          const appointment = appointmentToFhirAppointment({
            status,
            contactId: 'p1',
            start: '2025-05-01T09:00:00+03:00',
            minutesDuration: minutes,
            description: 'مراجعة',
            practitioner: { display: 'د. سارة' },
          });
          expect(fhirSchemaErrors(appointment)).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });
});
