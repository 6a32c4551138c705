import { connectorKit } from '@hmi/core';
import { Appointment } from '@hmi/core/schemas';
import type { FhirContext } from '../fhir-context.js';
import { APPOINTMENT_ELEMENTS, fhirAppointmentToAppointment } from '../mappers/appointment.js';
import { FhirCheckpoint, readIncremental } from '../search/incremental.js';

const { stream } = connectorKit<FhirContext>();

/** FHIR Appointments, incremental by `_lastUpdated` and resumable from its checkpoint. */
export const appointments = stream({
  description: 'FHIR Appointments, by _lastUpdated',
  record: Appointment,
  checkpoint: FhirCheckpoint,
  read: (ctx, { checkpoint, signal }) =>
    readIncremental(
      ctx,
      {
        resourceType: 'Appointment',
        elements: APPOINTMENT_ELEMENTS,
        map: (r) => fhirAppointmentToAppointment(r as never, ctx.map),
      },
      checkpoint,
      signal,
    ),
});
