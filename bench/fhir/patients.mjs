// Deterministic synthetic patients for the FHIR benchmark: Arabic and English names, Saudi,
// Emirati and Egyptian numbers in local formats, MRN and national ID / Iqama. Patient i is always
// the same object, so the loopback server holds nothing in memory.

const GIVEN_AR = ['محمد', 'فاطمة', 'عبدالله', 'نورة', 'أحمد', 'هيفاء', 'خالد', 'سارة'];
const FAMILY_AR = ['الأحمد', 'العتيبي', 'الشمري', 'القحطاني', 'المزروعي', 'حسن'];
const GIVEN_EN = ['Mohammed', 'Fatima', 'Abdullah', 'Noura', 'Ahmed', 'Haifa', 'Khalid', 'Sara'];
const FAMILY_EN = ['Al-Ahmad', 'Al-Otaibi', 'Al-Shammari', 'Al-Qahtani', 'Al-Mazrouei', 'Hassan'];
export const BASE_MS = Date.parse('2025-01-01T00:00:00.000Z');

/** lastUpdated of patient i: groups of three share an instant, so ties cross page boundaries. */
export function lastUpdatedOf(i) {
  return new Date(BASE_MS + Math.floor(i / 3) * 1000).toISOString();
}

export function patient(i) {
  const g = i % 8;
  const f = i % 6;
  const local = String(500000000 + ((i * 7919) % 99999999)).padStart(9, '0');
  const phone =
    i % 3 === 0
      ? `0${local}`
      : i % 3 === 1
        ? `+966 ${local.slice(0, 2)} ${local.slice(2, 5)} ${local.slice(5)}`
        : `00966${local}`;
  return {
    resourceType: 'Patient',
    id: `p${i}`,
    meta: { versionId: '1', lastUpdated: lastUpdatedOf(i) },
    identifier: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
        system: 'https://hospital.example.sa/mrn',
        value: `MRN-${i}`,
      },
      i % 2 === 0
        ? { system: 'http://nphies.sa/identifier/nationalid', value: String(1000000000 + i) }
        : { system: 'http://nphies.sa/identifier/iqama', value: String(2000000000 + i) },
    ],
    active: true,
    name: [
      {
        use: 'official',
        extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/language', valueCode: 'ar' }],
        text: `${GIVEN_AR[g]} ${FAMILY_AR[f]}`,
        family: FAMILY_AR[f],
        given: [GIVEN_AR[g]],
      },
      { use: 'usual', family: FAMILY_EN[f], given: [GIVEN_EN[g]] },
    ],
    telecom: [
      { system: 'phone', value: phone, use: 'mobile' },
      { system: 'email', value: `patient${i}@example.sa`, use: 'home' },
    ],
    gender: i % 2 === 0 ? 'male' : 'female',
    birthDate: `${1950 + (i % 60)}-0${1 + (i % 9)}-1${i % 10}`,
    address: [{ use: 'home', line: ['طريق الملك فهد'], city: 'الرياض', country: 'SA' }],
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: i % 4 === 0 ? 'en' : 'ar' }] }, preferred: true }],
  };
}

/** A searchset Bundle of patients [from, to). */
export function bundle(from, to, baseUrl, next) {
  const entry = [];
  for (let i = from; i < to; i++)
    entry.push({ fullUrl: `${baseUrl}/Patient/p${i}`, resource: patient(i), search: { mode: 'match' } });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link: [{ relation: 'self', url: `${baseUrl}/Patient` }, ...(next ? [{ relation: 'next', url: next }] : [])],
    entry,
  };
}
