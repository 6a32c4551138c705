import { connectorKit } from '@hmi/core';
import { Contact } from '@hmi/core/schemas';
import type { FhirContext } from '../fhir-context.js';
import { fhirPatientToContact, PATIENT_ELEMENTS } from '../mappers/patient.js';
import { FhirCheckpoint, readIncremental } from '../search/incremental.js';

const { stream } = connectorKit<FhirContext>();

/** FHIR Patients as Contacts, incremental by `_lastUpdated` and resumable from its checkpoint. */
export const patients = stream({
  description: 'FHIR Patients as Contacts, by _lastUpdated',
  record: Contact,
  checkpoint: FhirCheckpoint,
  read: (ctx, { checkpoint, signal }) =>
    readIncremental(
      ctx,
      { resourceType: 'Patient', elements: PATIENT_ELEMENTS, map: (r) => fhirPatientToContact(r as never, ctx.map) },
      checkpoint,
      signal,
    ),
});
