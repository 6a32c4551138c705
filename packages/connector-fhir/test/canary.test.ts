import { createTelemetry } from '@hmi/core';
import { http, HttpResponse } from 'msw';
import { expectNoLeaks } from '@hmi/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, connector, installFake, mswServer, readAll, TOKEN } from './helpers.js';

const server = mswServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const PHI_NAME = 'هيفاء عبدالرحمن الشمري';
const PHI_PHONE = '+966559876543';
const PHI_EMAIL = 'haifa.canary@example.sa';
const PHI_MRN = 'MRN-CANARY-7731';
const CANARIES = [TOKEN, PHI_NAME, 'هيفاء', PHI_PHONE, '559876543', PHI_EMAIL, PHI_MRN];

describe('canaries: the token and Arabic PHI never reach telemetry or errors', () => {
  it('across streams, actions, failures, dropped values and webhooks', async () => {
    const fake = installFake(server);
    fake.store.write({
      resourceType: 'Patient',
      id: 'canary',
      identifier: [{ system: 'https://hospital.example.sa/fhir/sid/mrn', value: PHI_MRN }],
      name: [{ text: PHI_NAME }],
      telecom: [
        { system: 'phone', value: PHI_PHONE },
        { system: 'phone', value: '٠٥٥ ١٢' }, // unparseable: dropped and reported, without its value
        { system: 'email', value: PHI_EMAIL },
        { system: 'email', value: 'not an email هيفاء' },
      ],
      gender: 'F',
    });
    const telemetry = createTelemetry();
    const events: string[] = [];
    telemetry.onAny((name, payload) => events.push(`${name} ${JSON.stringify(payload)}`));
    const fhir = connector({ subscription: { secret: 'sub_secret_canary_x9' } }, telemetry);
    const errors: unknown[] = [];
    const keep = (p: Promise<unknown>) => p.catch((e: unknown) => errors.push(e));

    await readAll(fhir.streams.patients);
    await fhir.actions.searchPatients({ phone: PHI_PHONE, name: 'هيفاء', email: PHI_EMAIL });
    await fhir.actions.searchPatients({ identifier: { type: 'mrn', value: PHI_MRN } });
    await fhir.actions.getPatient({ id: 'canary' });
    await fhir.actions.createPatient({
      contact: { identifiers: [{ type: 'mrn', value: PHI_MRN }], names: [{ text: PHI_NAME }], phones: [{ value: PHI_PHONE }] },
    });
    // Server errors whose diagnostics quote the patient.
    const diagnostics = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'invalid', diagnostics: `${PHI_NAME} ${PHI_PHONE} ${PHI_MRN}` }],
    };
    server.use(
      http.put(`${BASE}/Patient/canary`, () => HttpResponse.json(diagnostics, { status: 422 })),
      http.get(`${BASE}/Appointment/x1`, () =>
        HttpResponse.json({ ...diagnostics, issue: [{ ...diagnostics.issue[0], code: 'transient' }] }, { status: 503 }),
      ),
    );
    await keep(
      fhir.actions.updatePatient({ id: 'canary', contact: { names: [{ text: PHI_NAME }], phones: [{ value: PHI_PHONE }] } }),
    );
    await keep(fhir.actions.getAppointment({ id: 'x1' }));
    await keep(
      fhir.actions.createPatient({ contact: { identifiers: [], names: [{ text: PHI_NAME }], emails: [{ value: PHI_EMAIL }] } }),
    );
    await keep(fhir.actions.searchPatients({ phone: `${PHI_PHONE}999999` }));
    await keep(
      fhir.actions.bookAppointment({
        appointment: { status: 'booked', description: PHI_NAME, contactId: 'canary', start: 'tomorrow' },
      }),
    );
    await keep(
      fhir.webhooks.subscription.verify(
        new Request('https://crm/h', { method: 'POST', body: `{"resourceType":"Patient","name":"${PHI_NAME}"` }),
      ),
    );
    await keep(
      fhir.webhooks.subscription.verify(
        new Request('https://crm/h', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '' }),
      ),
    );

    expect(errors.length).toBe(7);
    expect(events.some((e) => e.startsWith('fhir:dropped') && e.includes('invalid_phone'))).toBe(true);
    expect(events.some((e) => e.startsWith('fhir:dropped') && e.includes('invalid_email'))).toBe(true);
    expect(events.some((e) => e.startsWith('retry'))).toBe(true);
    expectNoLeaks([...events, ...errors], [...CANARIES, 'sub_secret_canary_x9']);
  });
});
