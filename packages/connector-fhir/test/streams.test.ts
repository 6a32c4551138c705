import { ApiError, isHmiError, ValidationError } from '@hmi/core';
import type { FhirCheckpoint } from '@hmi/connector-fhir';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, connector, installFake, mswServer, readAll, searches } from './helpers.js';

const server = mswServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const ids = (records: Array<{ source?: { id: string } }>) => records.map((r) => r.source?.id);

/** Patients that all share one lastUpdated: a tie that spans page boundaries. */
function tiedPatients(n: number, lastUpdated: string) {
  return Array.from({ length: n }, (_, i) => ({
    resourceType: 'Patient' as const,
    id: `tie-${i}`,
    meta: { versionId: '1', lastUpdated },
    name: [{ text: `مريض ${i}` }],
  }));
}

describe('patients stream', () => {
  it('reads every patient page by page with _count, _sort, _elements and follows next links as given', async () => {
    const fake = installFake(server);
    const fhir = connector();
    const { records, checkpoints, last } = await readAll(fhir.streams.patients);
    expect(ids(records)).toEqual(['pat-sa-1', 'pat-sa-2', 'pat-ae-1', 'pat-eg-1']);
    expect(checkpoints).toHaveLength(2);
    // pat-ae-1 and pat-eg-1 share a timestamp: both ids are in the checkpoint.
    expect(last).toEqual({ lastUpdated: '2025-01-07T10:15:00.000Z', ids: ['pat-ae-1', 'pat-eg-1'] });
    const [first, second] = searches(fake);
    expect(first!.pathname).toBe('/R4/Patient');
    expect(first!.searchParams.get('_count')).toBe('2');
    expect(first!.searchParams.get('_sort')).toBe('_lastUpdated');
    expect(first!.searchParams.has('_lastUpdated')).toBe(false);
    expect(first!.searchParams.get('_elements')?.split(',')).toEqual(
      expect.arrayContaining(['identifier', 'name', 'telecom', 'gender', 'birthDate', 'address', 'communication']),
    );
    expect(second!.searchParams.get('_getpages')).toBeTruthy();
    expect(fake.requests[0]!.headers.authorization).toMatch(/^Bearer /);
    expect(fake.requests[0]!.headers.accept).toBe('application/fhir+json');
    expect(records[0]).toMatchObject({
      phones: [{ value: '+966551234567', use: 'mobile' }],
      identifiers: [
        { type: 'mrn', value: 'MRN-100001' },
        { type: 'national-id', value: '1023456789' },
      ],
      languages: ['ar', 'en'],
    });
    expect(records[0]!.names[0]).toMatchObject({ language: 'ar', text: 'محمد عبدالله الأحمد', use: 'official' });
  });

  it('pages through a transient 500 (core retries the GET) without loss or duplicates', async () => {
    const fake = installFake(server);
    fake.failNext(1, { status: 500, code: 'transient', match: (url) => url.searchParams.has('_getpages') });
    const fhir = connector();
    const { records } = await readAll(fhir.streams.patients);
    expect(ids(records)).toEqual(['pat-sa-1', 'pat-sa-2', 'pat-ae-1', 'pat-eg-1']);
    const pages = searches(fake).filter((u) => u.searchParams.has('_getpages'));
    expect(pages).toHaveLength(2);
    expect(pages[0]!.href).toBe(pages[1]!.href);
  });

  it('reads incrementally from a checkpoint: only what changed, with _lastUpdated=ge<checkpoint>', async () => {
    const fake = installFake(server);
    const fhir = connector();
    const first = await readAll(fhir.streams.patients);
    fake.store.write({ ...fake.store.read('Patient', 'pat-sa-2')!, gender: 'female', active: false });
    fake.store.write({ resourceType: 'Patient', name: [{ family: 'Nasser', given: ['Layla'] }] });
    fake.requests.length = 0;
    const second = await readAll(fhir.streams.patients, first.last);
    expect(ids(second.records)).toEqual(['pat-sa-2', expect.stringMatching(/^patient-/)]);
    expect(second.records[0]!.active).toBe(false);
    expect(searches(fake)[0]!.searchParams.get('_lastUpdated')).toBe(`ge${first.last!.lastUpdated}`);
    // Nothing changed since: an empty read that keeps the checkpoint.
    const third = await readAll(fhir.streams.patients, second.last);
    expect(third.records).toEqual([]);
    expect(third.last).toEqual(second.last);
  });

  it('resumes after a crash between pages of a tie on lastUpdated: nothing lost, nothing twice', async () => {
    const fake = installFake(server, { fixtures: false });
    for (const p of tiedPatients(5, '2025-03-01T12:00:00.000Z')) fake.store.write(p, { keepLastUpdated: true });
    const fhir = connector();
    const delivered: string[] = [];
    let saved: FhirCheckpoint | undefined;
    for await (const page of fhir.streams.patients.read()) {
      delivered.push(...ids(page.records).map(String));
      saved = page.checkpoint;
      break; // the host crashes after saving page 1's checkpoint
    }
    expect(saved).toEqual({ lastUpdated: '2025-03-01T12:00:00.000Z', ids: ['tie-0', 'tie-1'] });
    // A record written in the same instant after the crash must not be lost either.
    fake.store.write({ ...tiedPatients(6, '2025-03-01T12:00:00.000Z')[5]! }, { keepLastUpdated: true });
    const resumed = await readAll(fhir.streams.patients, saved);
    delivered.push(...ids(resumed.records).map(String));
    expect(delivered.sort()).toEqual(['tie-0', 'tie-1', 'tie-2', 'tie-3', 'tie-4', 'tie-5']);
    expect(resumed.last).toEqual({
      lastUpdated: '2025-03-01T12:00:00.000Z',
      ids: ['tie-0', 'tie-1', 'tie-2', 'tie-3', 'tie-4', 'tie-5'],
    });
  });

  it('resumes after a crash mid-page: the page is read again from the previous checkpoint, nothing skipped', async () => {
    const fake = installFake(server);
    const fhir = connector();
    const pages: Array<{ ids: string[]; checkpoint: FhirCheckpoint }> = [];
    for await (const page of fhir.streams.patients.read())
      pages.push({ ids: ids(page.records).map(String), checkpoint: page.checkpoint });
    // Crash while processing page 2: its checkpoint was never saved; resume from page 1's.
    const resumed = await readAll(fhir.streams.patients, pages[0]!.checkpoint);
    expect(ids(resumed.records)).toEqual(pages[1]!.ids);
    expect(resumed.last).toEqual(pages[1]!.checkpoint);
    expect(fake.requests.length).toBeGreaterThan(0);
  });

  it('skips records older than the checkpoint when a server ignores _lastUpdated', async () => {
    const fake = installFake(server);
    server.use(
      http.get(`${BASE}/Patient`, ({ request }) => {
        const url = new URL(request.url);
        url.searchParams.delete('_lastUpdated');
        return fake.handle(new Request(url, { headers: request.headers }));
      }),
    );
    const fhir = connector({ pageSize: 10 });
    const { records } = await readAll(fhir.streams.patients, { lastUpdated: '2025-01-06T09:30:00.000Z', ids: ['pat-sa-2'] });
    expect(ids(records)).toEqual(['pat-ae-1', 'pat-eg-1']);
  });

  it('with serverSortsByLastUpdated: false only the last page advances the checkpoint', async () => {
    installFake(server);
    const fhir = connector({ serverSortsByLastUpdated: false });
    const start = { lastUpdated: '2025-01-01T00:00:00.000Z', ids: [] };
    const { checkpoints } = await readAll(fhir.streams.patients, start);
    expect(checkpoints.slice(0, -1).every((c) => JSON.stringify(c) === JSON.stringify(start))).toBe(true);
    expect(checkpoints.at(-1)).toEqual({ lastUpdated: '2025-01-07T10:15:00.000Z', ids: ['pat-ae-1', 'pat-eg-1'] });
  });

  it('sends no _elements when the CapabilityStatement does not list it (elements: auto)', async () => {
    const fake = installFake(server, { supportsElements: false });
    await readAll(connector().streams.patients);
    expect(searches(fake).every((u) => !u.searchParams.has('_elements'))).toBe(true);
    const forced = installFake(server, { supportsElements: false });
    await readAll(connector({ elements: true }).streams.patients);
    expect(searches(forced)[0]!.searchParams.has('_elements')).toBe(true);
    expect(forced.requests.some((r) => r.url.endsWith('/metadata'))).toBe(false);
  });

  it('a CapabilityStatement that cannot be read means no _elements for that read, and is asked again next time', async () => {
    const fake = installFake(server);
    fake.failNext(3, { status: 503, code: 'transient', match: (url) => url.pathname.endsWith('/metadata') });
    const fhir = connector();
    await readAll(fhir.streams.patients);
    expect(searches(fake)[0]!.searchParams.has('_elements')).toBe(false);
    fake.requests.length = 0;
    await readAll(fhir.streams.patients);
    expect(searches(fake)[0]!.searchParams.has('_elements')).toBe(true);
    fake.requests.length = 0;
    await readAll(fhir.streams.patients);
    expect(fake.requests.filter((r) => r.url.endsWith('/metadata'))).toHaveLength(0);
  });

  it('a malformed Bundle is a ValidationError naming paths, not a TypeError', async () => {
    installFake(server);
    server.use(
      http.get(`${BASE}/Patient`, () => HttpResponse.json({ resourceType: 'Bundle', type: 'searchset', entry: 'nope' })),
    );
    const error = await readAll(connector({ elements: false }).streams.patients).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).code).toBe('invalid_response');
  });

  it('a Patient with a malformed element fails the read with its path and no value', async () => {
    installFake(server);
    server.use(
      http.get(`${BASE}/Patient`, () =>
        HttpResponse.json({
          resourceType: 'Bundle',
          type: 'searchset',
          entry: [{ resource: { resourceType: 'Patient', id: 'x', name: [{ family: 'فاطمة', given: 'not-an-array' }] } }],
        }),
      ),
    );
    const error = (await readAll(connector({ elements: false }).streams.patients).catch((e: unknown) => e)) as ValidationError;
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(error.issues[0]!.path).toEqual(['name', 0, 'given']);
    expect(JSON.stringify(error) + error.message).not.toContain('not-an-array');
  });

  it('a non-retryable OperationOutcome (invalid) fails at once with its issue code', async () => {
    const fake = installFake(server);
    fake.failNext(5, { status: 400, code: 'invalid', match: (url) => url.pathname.endsWith('/Patient') });
    const error = await readAll(connector({ elements: false }).streams.patients).catch((e: unknown) => e);
    expect(ApiError.isInstance(error)).toBe(true);
    expect(isHmiError(error) && [error.code, error.retryable, error.vendorCode]).toEqual(['invalid', false, 'invalid']);
    expect(searches(fake)).toHaveLength(1);
  });
});

describe('conditions and appointments streams', () => {
  it('read Conditions and Appointments incrementally', async () => {
    const fake = installFake(server);
    const fhir = connector();
    const conditions = await readAll(fhir.streams.conditions);
    expect(conditions.records.map((c) => [c.id, c.contactId, c.clinicalStatus])).toEqual([
      ['cond-1', 'pat-sa-1', 'active'],
      ['cond-2', 'pat-sa-2', 'resolved'],
    ]);
    expect(conditions.records[0]!.code[0]).toEqual({
      system: 'http://hl7.org/fhir/sid/icd-10',
      code: 'E11.9',
      display: 'Type 2 diabetes mellitus without complications',
    });
    const appointments = await readAll(fhir.streams.appointments);
    expect(appointments.records.map((a) => [a.id, a.status, a.contactId])).toEqual([
      ['appt-1', 'booked', 'pat-sa-1'],
      ['appt-2', 'proposed', 'pat-sa-2'],
    ]);
    expect(appointments.records[0]!.practitioner).toEqual({ id: 'dr-1', display: 'د. سارة القحطاني' });
    const cond = searches(fake, 'Condition')[0]!;
    expect(cond.searchParams.get('_elements')).toContain('onset');
    const again = await readAll(fhir.streams.appointments, appointments.last);
    expect(again.records).toEqual([]);
  });
});

describe('auth headers and check()', () => {
  it('basic auth sends Authorization: Basic, and check() proves credentials with a count search', async () => {
    const fake = installFake(server, { authorize: (h) => h === `Basic ${Buffer.from('crm:s3cret-pass').toString('base64')}` });
    const good = connector({ auth: { type: 'basic', username: 'crm', password: 's3cret-pass' } });
    await expect(good.check()).resolves.toEqual({ ok: true });
    expect(new URL(fake.requests.at(-1)!.url).searchParams.get('_summary')).toBe('count');
    const bad = connector({ auth: { type: 'basic', username: 'crm', password: 'wrong-pass' } });
    const result = await bad.check();
    expect(result.ok).toBe(false);
    expect(
      !result.ok && [result.error.name, result.error.retryable, JSON.stringify(result.error).includes('wrong-pass')],
    ).toEqual(['AuthError', false, false]);
  });
});
