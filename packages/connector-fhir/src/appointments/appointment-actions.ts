import { type ActionDefinition, connectorKit, HmiError, ValidationError } from '@hmi/core';
import { Appointment } from '@hmi/core/schemas';
import type { Appointment as FhirAppointment } from '@medplum/fhirtypes';
import { z } from 'zod';
import type { FhirContext } from '../fhir-context.js';
import { FHIR_JSON, ifMatch, parseLocation, searchParams, versionFromEtag } from '../fhir-http.js';
import { FhirAppointmentSchema, FhirId } from '../fhir-resources.js';
import { appointmentToFhirAppointment, fhirAppointmentToAppointment } from '../mappers/appointment.js';
import { parseOrThrow } from '../mappers/shared.js';

const { action } = connectorKit<FhirContext>();

/**
 * The identifier system under which bookAppointment records its idempotency key on the
 * Appointment, so a conditional create on it finds an earlier attempt instead of double-booking.
 */
export const IDEMPOTENCY_IDENTIFIER_SYSTEM = 'urn:hmi:idempotency-key';

const BookAppointmentShape = z.object({
  id: z.string(),
  versionId: z.string().optional(),
  created: z.boolean(),
  appointment: Appointment,
});
/** What bookAppointment returns. */
export interface BookAppointmentOutput {
  /** The FHIR Appointment id. */
  id: string;
  versionId?: string | undefined;
  /** False when an earlier attempt with the same idempotency key had already booked it. */
  created: boolean;
  appointment: Appointment;
}
/** Output schema of bookAppointment. */
export const BookAppointmentResult: z.ZodType<BookAppointmentOutput, z.input<typeof BookAppointmentShape>> = BookAppointmentShape;

const ById = z.object({ id: FhirId });
const BookInput = z.object({ appointment: Appointment, slotIds: z.array(FhirId).optional() });
const CancelInput = z.object({ id: FhirId, reason: z.string().min(1).max(1000).optional() });

/** States from which an appointment can no longer be cancelled. */
const FINAL_STATES = new Set(['fulfilled', 'entered-in-error', 'noshow']);

/** Reads one Appointment by id. */
export const getAppointment: ActionDefinition<FhirContext, typeof ById, typeof Appointment> = action({
  description: 'Read one FHIR Appointment',
  idempotent: true,
  input: ById,
  output: Appointment,
  async run({ id }, ctx, call) {
    const body = await ctx.http.request({ path: `Appointment/${id}`, operation: 'getAppointment', signal: call.signal });
    return fhirAppointmentToAppointment(body as FhirAppointment, ctx.map);
  },
});

/**
 * Books an appointment (POST Appointment). The call's idempotency key is written as an identifier
 * and used in `If-None-Exist`, so a retried or repeated booking with the same key finds the first
 * one instead of double-booking; pass your own `idempotencyKey` when you repeat a call yourself.
 */
export const bookAppointment: ActionDefinition<FhirContext, typeof BookInput, typeof BookAppointmentResult> = action({
  description: 'Book a FHIR Appointment (idempotent per idempotency key)',
  idempotent: false,
  input: BookInput,
  output: BookAppointmentResult,
  async run({ appointment, slotIds }, ctx, call) {
    const key = call.idempotencyKey;
    if (!key) throw new ValidationError('bookAppointment needs an idempotency key', { code: 'validation_error' });
    const { id: _ignored, ...resource } = appointmentToFhirAppointment(appointment, {
      ...ctx.map,
      slotIds,
      identifiers: [{ system: IDEMPOTENCY_IDENTIFIER_SYSTEM, value: key }],
    });
    const response = await ctx.http.requestRaw({
      method: 'POST',
      path: 'Appointment',
      json: resource,
      headers: {
        'content-type': FHIR_JSON,
        prefer: 'return=representation',
        'if-none-exist': searchParams({ identifier: `${IDEMPOTENCY_IDENTIFIER_SYSTEM}|${key}` }),
      },
      // If-None-Exist on the key's identifier makes the create idempotent: the core may retry it.
      idempotent: true,
      operation: 'bookAppointment',
      signal: call.signal,
    });
    const body = response.data as (FhirAppointment & { resourceType?: string }) | undefined;
    const location = parseLocation(response.headers.get('location') ?? response.headers.get('content-location'), 'Appointment');
    const id = (body?.resourceType === 'Appointment' ? body.id : undefined) ?? location.id;
    if (!id) throw new ValidationError('the server did not say the new Appointment id', { code: 'invalid_response' });
    const versionId = body?.meta?.versionId ?? location.versionId ?? versionFromEtag(response.headers.get('etag'));
    const booked =
      body?.resourceType === 'Appointment'
        ? fhirAppointmentToAppointment(body, ctx.map)
        : { ...appointment, id, source: { system: 'fhir', id } };
    return { id, created: response.status === 201, appointment: booked, ...(versionId && { versionId }) };
  },
});

/**
 * Cancels an appointment: reads it, sets `status: cancelled` and `cancelationReason`, and writes
 * it back with `If-Match`. Cancelling an already cancelled appointment returns it unchanged; a
 * fulfilled, no-show or entered-in-error one is refused with code `invalid_state`.
 */
export const cancelAppointment: ActionDefinition<FhirContext, typeof CancelInput, typeof Appointment> = action({
  description: 'Cancel a FHIR Appointment (versioned PUT)',
  idempotent: true,
  input: CancelInput,
  output: Appointment,
  async run({ id, reason }, ctx, call) {
    const current = await ctx.http.requestRaw({ path: `Appointment/${id}`, operation: 'cancelAppointment', signal: call.signal });
    const parsed = parseOrThrow(FhirAppointmentSchema, current.data, 'Appointment');
    if (parsed.status === 'cancelled') return fhirAppointmentToAppointment(parsed as FhirAppointment, ctx.map);
    if (FINAL_STATES.has(parsed.status)) {
      throw new HmiError(`an appointment in state ${parsed.status} cannot be cancelled`, {
        code: 'invalid_state',
        retryable: false,
      });
    }
    const versionId = versionFromEtag(current.headers.get('etag')) ?? parsed.meta?.versionId;
    const { text: narrative, ...rest } = parsed as typeof parsed & { text?: { status?: string } };
    const updated = {
      ...rest,
      // A generated narrative would still say "booked".
      ...(narrative && narrative.status !== 'generated' && { text: narrative }),
      id,
      status: 'cancelled',
      ...(reason && { cancelationReason: { text: reason } }),
    };
    const response = await ctx.http.requestRaw({
      method: 'PUT',
      path: `Appointment/${id}`,
      json: updated,
      headers: {
        'content-type': FHIR_JSON,
        prefer: 'return=representation',
        ...(versionId && { 'if-match': ifMatch(versionId) }),
      },
      operation: 'cancelAppointment',
      signal: call.signal,
    });
    const body = response.data as { resourceType?: string } | undefined;
    return fhirAppointmentToAppointment((body?.resourceType === 'Appointment' ? body : updated) as FhirAppointment, ctx.map);
  },
});
