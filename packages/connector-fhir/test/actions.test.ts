import { ApiError, type ContactInput, HmiError, ValidationError } from '@hmi/core';
import { IDEMPOTENCY_IDENTIFIER_SYSTEM } from '@hmi/connector-fhir';
import { FIXTURE_SYSTEMS } from '@hmi/connector-fhir/msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirSchemaErrors, warmFhirSchema } from './fhir-schema.js';
import { connector, installFake, mswServer } from './helpers.js';

const server = mswServer();
beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  warmFhirSchema();
}, 120_000);
afterAll(() => server.close());

const newContact: ContactInput = {
  identifiers: [
    { type: 'mrn', system: FIXTURE_SYSTEMS.mrn, value: 'MRN-200001' },
    { type: 'iqama', value: '2345678901' },
  ],
  names: [
    { use: 'official', language: 'ar', text: 'نورة إبراهيم العتيبي', family: 'العتيبي', given: ['نورة', 'إبراهيم'] },
    { use: 'usual', language: 'en', family: 'Al-Otaibi', given: ['Noura'] },
  ],
  gender: 'female',
  birthDate: '1990-05-20',
  phones: [{ value: '+966501112233', use: 'mobile' }],
  emails: [{ value: 'noura@example.sa' }],
  addresses: [{ use: 'home', city: 'الدمام', country: 'SA' }],
  languages: ['ar', 'en'],
};

/** Every resource body the connector sent to the fake. */
function sentBodies(fake: ReturnType<typeof installFake>) {
  return fake.requests.filter((r) => r.method === 'POST' || r.method === 'PUT').map((r) => r.body);
}

describe('patient actions', () => {
  it('getPatient maps the Patient; a missing one is a not_found ApiError', async () => {
    installFake(server);
    const fhir = connector();
    const contact = await fhir.actions.getPatient({ id: 'pat-ae-1' });
    expect(contact.phones).toEqual([{ value: '+971501234567', use: 'mobile' }]);
    expect(contact.names[0]).toMatchObject({ language: 'ar', family: 'المزروعي' });
    const error = await fhir.actions.getPatient({ id: 'nobody' }).catch((e: unknown) => e);
    expect(ApiError.isInstance(error) && [error.code, error.status, error.retryable]).toEqual(['not_found', 404, false]);
    await expect(fhir.actions.getPatient({ id: '../metadata' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('searchPatients by identifier, phone (normalised to E.164, plus as typed), email and name', async () => {
    const fake = installFake(server);
    const fhir = connector();
    const byId = await fhir.actions.searchPatients({ identifier: { system: FIXTURE_SYSTEMS.mrn, value: 'MRN-100002' } });
    expect(byId.map((c) => c.source?.id)).toEqual(['pat-sa-2']);
    const byIqama = await fhir.actions.searchPatients({ identifier: { type: 'iqama', value: '2198765432' } });
    expect(byIqama.map((c) => c.source?.id)).toEqual(['pat-sa-2']);
    const byPhone = await fhir.actions.searchPatients({ phone: '0551234567' });
    expect(byPhone.map((c) => c.source?.id)).toEqual(['pat-sa-1']);
    const byEmail = await fhir.actions.searchPatients({ email: 'FATIMA.S@example.ae' });
    expect(byEmail.map((c) => c.source?.id)).toEqual(['pat-ae-1']);
    const byName = await fhir.actions.searchPatients({ name: 'عمر' });
    expect(byName.map((c) => c.source?.id)).toEqual(['pat-eg-1']);
    const urls = fake.requests.filter((r) => r.url.includes('/Patient?')).map((r) => new URL(r.url).searchParams);
    expect(urls[0]!.get('identifier')).toBe(`${FIXTURE_SYSTEMS.mrn}|MRN-100002`);
    expect(urls[1]!.get('identifier')).toBe('http://nphies.sa/identifier/iqama|2198765432');
    expect(urls[2]!.get('phone')).toBe('+966551234567,0551234567');
    await expect(fhir.actions.searchPatients({ phone: '12' })).rejects.toBeInstanceOf(ValidationError);
    await expect(fhir.actions.searchPatients({})).rejects.toBeInstanceOf(ValidationError);
  });

  it('searchPatients follows next links up to limit', async () => {
    const fake = installFake(server);
    const fhir = connector({ pageSize: 1 });
    const both = await fhir.actions.searchPatients({ name: 'a', limit: 5 });
    expect(both.map((c) => c.source?.id)).toEqual(['pat-sa-1', 'pat-sa-2']);
    expect(fake.requests.filter((r) => r.method === 'GET' && !r.url.endsWith('/metadata'))).toHaveLength(2);
    fake.requests.length = 0;
    const one = await fhir.actions.searchPatients({ name: 'a', limit: 1 });
    expect(one.map((c) => c.source?.id)).toEqual(['pat-sa-1']);
    expect(fake.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
  });

  it('createPatient is a conditional create on the MRN; a repeat finds it instead of duplicating', async () => {
    const fake = installFake(server);
    const fhir = connector();
    const first = await fhir.actions.createPatient({ contact: newContact });
    expect(first.created).toBe(true);
    expect(first.contact.names[0]!.text).toBe('نورة إبراهيم العتيبي');
    const post = fake.requests.find((r) => r.method === 'POST')!;
    expect(post.url).toBe('https://fhir.test/R4/Patient');
    expect(post.headers['if-none-exist']).toBe(`identifier=${FIXTURE_SYSTEMS.mrn}|MRN-200001`);
    expect(new URLSearchParams(post.headers['if-none-exist']).get('identifier')).toBe(`${FIXTURE_SYSTEMS.mrn}|MRN-200001`);
    expect(post.headers['content-type']).toBe('application/fhir+json');
    expect(post.headers.prefer).toBe('return=representation');
    expect(post.body).toMatchObject({
      resourceType: 'Patient',
      identifier: [
        { system: FIXTURE_SYSTEMS.mrn, value: 'MRN-200001', type: { coding: [{ code: 'MR' }] } },
        { system: 'http://nphies.sa/identifier/iqama', value: '2345678901', type: { coding: [{ code: 'PRC' }] } },
      ],
      telecom: [
        { system: 'phone', value: '+966501112233', use: 'mobile', rank: 1 },
        { system: 'email', value: 'noura@example.sa' },
      ],
      communication: [
        { language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'ar' }] }, preferred: true },
        { language: { coding: [{ code: 'en' }] } },
      ],
    });
    expect((post.body as { id?: string }).id).toBeUndefined();
    const again = await fhir.actions.createPatient({ contact: newContact });
    expect(again).toMatchObject({ created: false, id: first.id });
    expect(fake.store.all('Patient').filter((p) => JSON.stringify(p).includes('MRN-200001'))).toHaveLength(1);
    for (const body of sentBodies(fake)) expect(fhirSchemaErrors(body)).toEqual([]);
  });

  it('createPatient through a transient 503 is retried (conditional create, no Idempotency-Key) and creates once', async () => {
    const fake = installFake(server);
    fake.failNext(1, { status: 503, code: 'transient', match: (_u, m) => m === 'POST' });
    const result = await connector().actions.createPatient({ contact: newContact });
    expect(result.created).toBe(true);
    const posts = fake.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    for (const post of posts) expect(post.headers['idempotency-key']).toBeUndefined();
    expect(posts[0]!.headers['if-none-exist']).toBe(posts[1]!.headers['if-none-exist']);
    expect(posts[0]!.headers['if-none-exist']).toBeTruthy();
    expect(fake.store.all('Patient')).toHaveLength(5);
  });

  it('createPatient refuses a Contact without any identifier (it could duplicate)', async () => {
    const fake = installFake(server);
    const error = await connector()
      .actions.createPatient({ contact: { ...newContact, identifiers: [] } })
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('createPatient with an ambiguous identifier (multiple matches) is a non-retryable error', async () => {
    const fake = installFake(server);
    fake.store.write({ resourceType: 'Patient', identifier: [{ system: FIXTURE_SYSTEMS.mrn, value: 'DUP' }] });
    fake.store.write({ resourceType: 'Patient', identifier: [{ system: FIXTURE_SYSTEMS.mrn, value: 'DUP' }] });
    const error = await connector()
      .actions.createPatient({
        contact: { ...newContact, identifiers: [{ type: 'mrn', system: FIXTURE_SYSTEMS.mrn, value: 'DUP' }] },
      })
      .catch((e: unknown) => e);
    expect(ApiError.isInstance(error) && [error.code, error.status, error.retryable]).toEqual(['multiple_matches', 412, false]);
  });

  it('updatePatient merges into the current version and writes it with If-Match', async () => {
    const fake = installFake(server);
    const fhir = connector();
    const updated = await fhir.actions.updatePatient({
      id: 'pat-sa-1',
      contact: {
        identifiers: [{ type: 'passport', value: 'P1234567' }],
        phones: [{ value: '+966509998877', use: 'mobile' }],
        languages: ['en'],
      },
    });
    expect(updated.versionId).toBe('2');
    const put = fake.requests.find((r) => r.method === 'PUT')!;
    expect(put.headers['if-match']).toBe('W/"1"');
    const body = put.body as Record<string, unknown>;
    expect(body.id).toBe('pat-sa-1');
    // Kept: names, birth date, the existing identifiers; replaced: phones and emails, languages.
    expect((body.name as unknown[]).length).toBe(2);
    expect(body.birthDate).toBe('1985-03-14');
    expect((body.identifier as Array<{ value: string }>).map((i) => i.value)).toEqual(['MRN-100001', '1023456789', 'P1234567']);
    expect(body.telecom).toEqual([{ system: 'phone', value: '+966509998877', use: 'mobile', rank: 1 }]);
    expect(updated.contact.languages).toEqual(['en']);
    for (const b of sentBodies(fake)) expect(fhirSchemaErrors(b)).toEqual([]);
  });

  it('updatePatient writes next of kin and the date of death, and reads them back', async () => {
    const fake = installFake(server);
    const updated = await connector().actions.updatePatient({
      id: 'pat-sa-1',
      contact: {
        deceasedAt: '2025-01-02',
        relatedPersons: [{ name: { text: 'فاطمة الحربي' }, relationship: [{ code: 'N' }], phones: [{ value: '+966555000111' }] }],
      },
    });
    const body = fake.requests.find((r) => r.method === 'PUT')!.body as Record<string, unknown>;
    expect(body.deceasedDateTime).toBe('2025-01-02');
    expect(body.deceasedBoolean).toBeUndefined();
    expect(fhirSchemaErrors(body)).toEqual([]);
    expect(updated.contact.deceasedAt).toBe('2025-01-02');
    expect(updated.contact.relatedPersons?.[0]?.phones).toEqual([{ value: '+966555000111' }]);
  });

  it('updatePatient losing a race (412) is a conflict error, not retried', async () => {
    const fake = installFake(server);
    fake.failNext(1, { status: 412, code: 'conflict', match: (_u, m) => m === 'PUT' });
    const error = await connector()
      .actions.updatePatient({ id: 'pat-sa-2', contact: { gender: 'female' } })
      .catch((e: unknown) => e);
    expect(HmiError.isInstance(error) && [error.code, error.retryable]).toEqual(['conflict', false]);
    expect(fake.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });
});

describe('appointment actions', () => {
  const appointment = {
    status: 'booked' as const,
    contactId: 'pat-sa-1',
    start: '2025-03-10T10:00:00+03:00',
    minutesDuration: 30,
    practitioner: { id: 'dr-1', display: 'د. سارة القحطاني' },
    serviceType: [{ system: 'http://terminology.hl7.org/CodeSystem/service-type', code: '124' }],
    description: 'مراجعة',
  };

  it('getAppointment maps participants', async () => {
    installFake(server);
    const a = await connector().actions.getAppointment({ id: 'appt-1' });
    expect(a).toMatchObject({ status: 'booked', contactId: 'pat-sa-1', location: { id: 'clinic-3' }, minutesDuration: 20 });
  });

  it('bookAppointment posts a schema-valid Appointment with the idempotency key as identifier and If-None-Exist', async () => {
    const fake = installFake(server);
    const fhir = connector();
    const booked = await fhir.actions.bookAppointment({ appointment, slotIds: ['slot-9'] }, { idempotencyKey: 'book-42' });
    expect(booked.created).toBe(true);
    expect(booked.appointment).toMatchObject({ status: 'booked', contactId: 'pat-sa-1', end: '2025-03-10T07:30:00.000Z' });
    const post = fake.requests.find((r) => r.method === 'POST')!;
    expect(post.headers['if-none-exist']).toBe(`identifier=${IDEMPOTENCY_IDENTIFIER_SYSTEM}|book-42`);
    expect(post.body).toMatchObject({
      resourceType: 'Appointment',
      identifier: [{ system: IDEMPOTENCY_IDENTIFIER_SYSTEM, value: 'book-42' }],
      slot: [{ reference: 'Slot/slot-9' }],
      participant: [
        { actor: { reference: 'Patient/pat-sa-1' }, status: 'accepted' },
        { actor: { reference: 'Practitioner/dr-1', display: 'د. سارة القحطاني' }, status: 'accepted' },
      ],
    });
    const repeat = await fhir.actions.bookAppointment({ appointment }, { idempotencyKey: 'book-42' });
    expect(repeat).toMatchObject({ created: false, id: booked.id });
    expect(fake.store.all('Appointment')).toHaveLength(3);
    for (const b of sentBodies(fake)) expect(fhirSchemaErrors(b)).toEqual([]);
  });

  it('bookAppointment refuses times without a time zone and appointments without participants', async () => {
    const fake = installFake(server);
    const fhir = connector();
    await expect(
      fhir.actions.bookAppointment({ appointment: { ...appointment, start: '2025-03-10 10:00' } }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      fhir.actions.bookAppointment({ appointment: { status: 'booked', start: appointment.start, minutesDuration: 10 } }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('cancelAppointment sets status and reason with If-Match, and is idempotent', async () => {
    const fake = installFake(server);
    const fhir = connector();
    const cancelled = await fhir.actions.cancelAppointment({ id: 'appt-1', reason: 'Patient request' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellationReason: 'Patient request' });
    const put = fake.requests.find((r) => r.method === 'PUT')!;
    expect(put.headers['if-match']).toBe('W/"1"');
    expect(put.body).toMatchObject({
      resourceType: 'Appointment',
      id: 'appt-1',
      status: 'cancelled',
      cancelationReason: { text: 'Patient request' },
    });
    await fhir.actions.cancelAppointment({ id: 'appt-1' });
    expect(fake.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
    for (const b of sentBodies(fake)) expect(fhirSchemaErrors(b)).toEqual([]);
    fake.store.write({ ...fake.store.read('Appointment', 'appt-2')!, status: 'fulfilled' });
    const error = await fhir.actions.cancelAppointment({ id: 'appt-2' }).catch((e: unknown) => e);
    expect(HmiError.isInstance(error) && error.code).toBe('invalid_state');
  });
});
