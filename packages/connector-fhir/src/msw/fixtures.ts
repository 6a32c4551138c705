import type { Appointment, Condition, Patient } from '@medplum/fhirtypes';

/** Identifier systems the fixtures use (a fictional hospital plus the NPHIES national systems). */
export const FIXTURE_SYSTEMS = {
  mrn: 'https://hospital.example.sa/fhir/sid/mrn',
  nationalId: 'http://nphies.sa/identifier/nationalid',
  iqama: 'http://nphies.sa/identifier/iqama',
} as const;

/** The resources an in-memory FHIR server starts with. */
export interface FhirFixtures {
  patients: Patient[];
  conditions: Condition[];
  appointments: Appointment[];
}

const mr = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] };
const ni = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NI' }] };
const prc = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'PRC' }] };
const lang = (code: string, preferred?: boolean) => ({
  language: { coding: [{ system: 'urn:ietf:bcp:47', code }] },
  ...(preferred && { preferred }),
});
const arabic = [{ url: 'http://hl7.org/fhir/StructureDefinition/language', valueCode: 'ar' }];
const english = [{ url: 'http://hl7.org/fhir/StructureDefinition/language', valueCode: 'en' }];
const clinical = (code: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code }] });
const verified = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] };
const icd10 = (code: string, display: string) => ({ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code, display }] });

/**
 * Hand-written FHIR R4 fixtures (fictional people): Saudi, Emirati and Egyptian patients with
 * Arabic and English names, MRN / national ID / Iqama identifiers, local and international phone
 * formats; their conditions (ICD-10) and appointments. A fresh copy on every call, so tests never
 * share mutable state. Every resource validates against the FHIR R4 JSON schema (tested).
 */
export function fhirFixtures(): FhirFixtures {
  const patients: Patient[] = [
    {
      resourceType: 'Patient',
      id: 'pat-sa-1',
      meta: { versionId: '1', lastUpdated: '2025-01-05T08:00:00.000Z' },
      identifier: [
        { type: mr, system: FIXTURE_SYSTEMS.mrn, value: 'MRN-100001' },
        { type: ni, system: FIXTURE_SYSTEMS.nationalId, value: '1023456789' },
      ],
      active: true,
      name: [
        { use: 'official', extension: arabic, text: 'محمد عبدالله الأحمد', family: 'الأحمد', given: ['محمد', 'عبدالله'] },
        {
          use: 'usual',
          extension: english,
          text: 'Mohammed Abdullah Al-Ahmad',
          family: 'Al-Ahmad',
          given: ['Mohammed', 'Abdullah'],
        },
      ],
      telecom: [
        { system: 'phone', value: '0551234567', use: 'mobile' },
        { system: 'email', value: 'm.alahmad@example.sa', use: 'home' },
      ],
      gender: 'male',
      birthDate: '1985-03-14',
      address: [{ use: 'home', line: ['طريق الملك فهد'], city: 'الرياض', postalCode: '12211', country: 'SA' }],
      communication: [lang('ar', true), lang('en')],
      maritalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }] },
    },
    {
      resourceType: 'Patient',
      id: 'pat-sa-2',
      meta: { versionId: '1', lastUpdated: '2025-01-06T09:30:00.000Z' },
      identifier: [
        { type: mr, system: FIXTURE_SYSTEMS.mrn, value: 'MRN-100002' },
        { type: prc, system: FIXTURE_SYSTEMS.iqama, value: '2198765432' },
      ],
      active: true,
      name: [
        { use: 'official', extension: english, family: 'Khan', given: ['Ayesha'] },
        { use: 'usual', extension: arabic, text: 'عائشة خان' },
      ],
      telecom: [{ system: 'phone', value: '+966 50 765 4321', use: 'mobile' }],
      gender: 'female',
      birthDate: '1992-11-02',
      address: [{ use: 'home', city: 'Jeddah', country: 'SA' }],
      communication: [lang('en', true), lang('ar')],
    },
    {
      resourceType: 'Patient',
      id: 'pat-ae-1',
      meta: { versionId: '1', lastUpdated: '2025-01-07T10:15:00.000Z' },
      identifier: [{ type: mr, system: FIXTURE_SYSTEMS.mrn, value: 'MRN-100003' }],
      active: true,
      name: [{ use: 'official', text: 'فاطمة سالم المزروعي', family: 'المزروعي', given: ['فاطمة', 'سالم'] }],
      telecom: [
        { system: 'phone', value: '00971501234567', use: 'mobile' },
        { system: 'email', value: 'fatima.s@example.ae', use: 'work' },
      ],
      gender: 'female',
      birthDate: '1978-07',
      address: [{ use: 'home', text: 'شارع الشيخ زايد، دبي', city: 'Dubai', country: 'AE' }],
      communication: [lang('ar', true)],
    },
    {
      resourceType: 'Patient',
      id: 'pat-eg-1',
      meta: { versionId: '1', lastUpdated: '2025-01-07T10:15:00.000Z' },
      identifier: [{ type: mr, system: FIXTURE_SYSTEMS.mrn, value: 'MRN-100004' }],
      active: true,
      name: [
        { use: 'official', extension: english, family: 'Hassan', given: ['Omar'], prefix: ['Mr.'] },
        { use: 'official', extension: arabic, text: 'عمر حسن' },
      ],
      telecom: [{ system: 'phone', value: '+20 100 123 4567', use: 'mobile' }],
      gender: 'male',
      birthDate: '2001',
      communication: [lang('ar-EG', true)],
    },
  ];
  const conditions: Condition[] = [
    {
      resourceType: 'Condition',
      id: 'cond-1',
      meta: { versionId: '1', lastUpdated: '2025-01-05T08:05:00.000Z' },
      clinicalStatus: clinical('active'),
      verificationStatus: verified,
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
      code: { ...icd10('E11.9', 'Type 2 diabetes mellitus without complications'), text: 'السكري من النوع الثاني' },
      subject: { reference: 'Patient/pat-sa-1' },
      onsetDateTime: '2019-04-01',
      recordedDate: '2019-04-03',
    },
    {
      resourceType: 'Condition',
      id: 'cond-2',
      meta: { versionId: '1', lastUpdated: '2025-01-06T09:35:00.000Z' },
      clinicalStatus: clinical('resolved'),
      verificationStatus: verified,
      code: icd10('J45.909', 'Unspecified asthma, uncomplicated'),
      subject: { reference: 'Patient/pat-sa-2' },
      onsetString: 'childhood',
      abatementDateTime: '2015-06-01',
    },
  ];
  const appointments: Appointment[] = [
    {
      resourceType: 'Appointment',
      id: 'appt-1',
      meta: { versionId: '1', lastUpdated: '2025-01-08T07:00:00.000Z' },
      status: 'booked',
      serviceType: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/service-type', code: '124', display: 'General Practice' }] },
      ],
      description: 'متابعة السكري',
      start: '2025-02-01T09:00:00+03:00',
      end: '2025-02-01T09:20:00+03:00',
      minutesDuration: 20,
      participant: [
        { actor: { reference: 'Patient/pat-sa-1' }, status: 'accepted' },
        { actor: { reference: 'Practitioner/dr-1', display: 'د. سارة القحطاني' }, status: 'accepted' },
        { actor: { reference: 'Location/clinic-3', display: 'Clinic 3' }, status: 'accepted' },
      ],
    },
    {
      resourceType: 'Appointment',
      id: 'appt-2',
      meta: { versionId: '1', lastUpdated: '2025-01-08T07:30:00.000Z' },
      status: 'proposed',
      description: 'Asthma review',
      participant: [{ actor: { reference: 'Patient/pat-sa-2' }, status: 'needs-action' }],
    },
  ];
  return { patients, conditions, appointments };
}
