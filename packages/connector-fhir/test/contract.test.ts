// The connector contract every hmi connector passes, against the package's own in-memory FHIR
// server (`./msw`, built from HL7's R4 resources) with every request and response of the valid
// calls validated against the official FHIR R4 schema by @hmi/testing.
import { runConnectorContract } from '@hmi/testing/vitest';
import { fhirConnector } from '../src/index.js';
import { createFhirServerFake } from '../src/msw/index.js';

const baseUrl = 'https://fhir.contract.test/R4';
const token = 'tok_contract_CANARY_7e21c9d4a8';
const mobile = '+966555123456';
const arabicFamily = 'الحربي';

const fake = createFhirServerFake({ baseUrl });

runConnectorContract(fhirConnector, {
  baseUrl,
  config: (url) => ({
    baseUrl: url,
    auth: { type: 'bearer' as const, token },
    defaultRegion: 'SA',
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
  }),
  invalidConfigs: [
    { name: 'baseUrl not a URL', config: () => ({ baseUrl: 'not a url', auth: { type: 'bearer', token } }), field: 'baseUrl' },
    { name: 'auth missing', config: (url) => ({ baseUrl: url, token }), field: 'auth' },
    {
      name: 'defaultRegion not a region',
      config: (url) => ({ baseUrl: url, auth: { type: 'bearer', token }, defaultRegion: 'Saudi' }),
      field: 'defaultRegion',
    },
  ],
  canaries: { secret: token, phi: [mobile, arabicFamily] },
  actions: {
    getPatient: {
      input: { id: 'pat-sa-1' },
      handlers: fake.handlers,
      invalidInputs: [{}, { id: 'bad id with spaces' }, { id: 42 }],
    },
    searchPatients: {
      input: { phone: mobile },
      handlers: fake.handlers,
      invalidInputs: [{}, { limit: 5 }, { phone: '' }],
    },
    createPatient: {
      // FHIR's idempotency is the conditional create: every attempt carries the same If-None-Exist
      // query (the patient's identifier), not the caller's key. Checked with faults in actions.test.ts.
      skipRetryCheck: 'conditional create (If-None-Exist on the identifier), not an Idempotency-Key header',
      input: {
        contact: {
          identifiers: [{ type: 'mrn', value: 'MRN-CONTRACT-1', system: 'urn:oid:2.16.840.1.113883.3.1' }],
          names: [{ family: arabicFamily, given: ['فاطمة'] }],
          phones: [{ value: mobile, use: 'mobile' }],
        },
      },
      handlers: fake.handlers,
      invalidInputs: [{}, { contact: { phones: [{ value: '0555' }] } }, { contact: { gender: 'x' } }],
    },
    updatePatient: {
      input: { id: 'pat-sa-2', contact: { names: [{ family: arabicFamily }], phones: [{ value: mobile }] } },
      handlers: fake.handlers,
      invalidInputs: [{}, { id: 'pat-sa-2' }, { id: 'x y', contact: {} }],
    },
    getAppointment: { input: { id: 'appt-1' }, handlers: fake.handlers, invalidInputs: [{}, { id: '' }] },
    bookAppointment: {
      skipRetryCheck: 'conditional create on an identifier holding the idempotency key, not a header (actions.test.ts)',
      input: {
        appointment: {
          status: 'booked',
          contactId: 'pat-sa-1',
          start: '2025-05-01T09:00:00+03:00',
          minutesDuration: 20,
          description: `Follow-up for ${arabicFamily}`,
        },
      },
      handlers: fake.handlers,
      invalidInputs: [{}, { appointment: { status: 'nope' } }, { appointment: { status: 'booked' }, slotIds: ['bad id'] }],
    },
    cancelAppointment: {
      input: { id: 'appt-2', reason: 'patient asked' },
      handlers: fake.handlers,
      invalidInputs: [{}, { id: 'appt-2', reason: '' }],
    },
  },
});
