import type { Appointment } from '@hmi/core';
import { Appointment as AppointmentSchema } from '@hmi/core/schemas';
import type { Appointment as FhirAppointment, AppointmentParticipant } from '@medplum/fhirtypes';
import type { z } from 'zod';
import { FhirAppointmentSchema } from '../fhir-resources.js';
import {
  FHIR_SOURCE_SYSTEM,
  type FhirMapOptions,
  invalidField,
  nonEmpty,
  parseOrThrow,
  referenceId,
  toCodings,
  toConcept,
  toFhirInstant,
} from './shared.js';

/** The Appointment elements the mapper reads, for `_elements`. */
export const APPOINTMENT_ELEMENTS = [
  'status',
  'cancelationReason',
  'serviceType',
  'specialty',
  'appointmentType',
  'reasonCode',
  'description',
  'start',
  'end',
  'minutesDuration',
  'participant',
  'comment',
  'identifier',
  'serviceCategory',
  'priority',
] as const;

type Participant = NonNullable<Appointment['participants']>[number];
const REQUIRED = new Set(['required', 'optional', 'information-only']);
const PARTICIPATION = new Set(['accepted', 'declined', 'tentative', 'needs-action']);
const ACTOR_TYPE = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

const STATUSES = new Set<string>(AppointmentSchema.shape.status.options);
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** The extra FHIR-only inputs of {@link appointmentToFhirAppointment}. */
export interface AppointmentWriteOptions extends FhirMapOptions {
  /** Slots the appointment fills (`Slot/<id>`). */
  slotIds?: string[] | undefined;
  /** Business identifiers to add (the connector adds its idempotency key here). */
  identifiers?: Array<{ system: string; value: string }> | undefined;
}

/** One FHIR participant as canonical: actor type and id from the reference, display, role, flags. */
function readParticipant(p: NonNullable<ReturnType<typeof parseAppointment>['participant']>[number]): Participant {
  const match = p.actor?.reference ? ACTOR_TYPE.exec(p.actor.reference) : null;
  const actorType = match?.[1] ?? nonEmpty(p.actor?.type);
  const display = nonEmpty(p.actor?.display);
  return {
    ...(actorType && { actorType }),
    ...(match?.[2] && { actorId: match[2] }),
    ...(display && { display }),
    type: (p.type ?? []).flatMap((t) => {
      const codings = toCodings(t);
      return codings.length > 0 ? codings : nonEmpty(t.text) ? [{ code: t.text!.trim(), display: t.text! }] : [];
    }),
    ...(p.required && REQUIRED.has(p.required) && { required: p.required as Participant['required'] }),
    ...(p.status && PARTICIPATION.has(p.status) && { status: p.status as Participant['status'] }),
  };
}

function parseAppointment(appointment: FhirAppointment) {
  return parseOrThrow(FhirAppointmentSchema, appointment, 'Appointment');
}

/**
 * Maps a FHIR R4 Appointment to a canonical Appointment: status, start/end/duration, service type
 * and category, specialty, appointment type, reason codes, description, comment, priority,
 * business identifiers, cancellation reason, every participant (`participants`: patient,
 * practitioners, location, "Phone Call" displays), and the patient (`contactId`), practitioner and
 * location (the first of each) taken from the participants' actor references.
 */
export function fhirAppointmentToAppointment(appointment: FhirAppointment, options: FhirMapOptions = {}): Appointment {
  const a = parseAppointment(appointment);
  const drop = (field: string, reason: string) => options.onDropped?.({ resourceType: 'Appointment', field, reason });
  if (!STATUSES.has(a.status)) {
    throw invalidField('status', 'not an R4 Appointment status');
  }
  let contactId: string | undefined;
  let practitioner: Appointment['practitioner'];
  let location: Appointment['location'];
  for (const p of a.participant ?? []) {
    const ref = p.actor?.reference;
    const display = nonEmpty(p.actor?.display);
    const patient = referenceId(ref, 'Patient');
    if (patient) {
      contactId ??= patient;
      continue;
    }
    const practitionerId = referenceId(ref, 'Practitioner');
    if (practitionerId || p.actor?.type === 'Practitioner') {
      practitioner ??= { ...(practitionerId && { id: practitionerId }), ...(display && { display }) };
      continue;
    }
    const locationId = referenceId(ref, 'Location');
    if (locationId || p.actor?.type === 'Location')
      location ??= { ...(locationId && { id: locationId }), ...(display && { display }) };
  }
  const valid = (s: string | undefined, field: string) => {
    if (s === undefined) return undefined;
    if (!Number.isNaN(Date.parse(s))) return s;
    drop(field, 'invalid_date');
    return undefined;
  };
  const start = valid(a.start, 'start');
  const end = valid(a.end, 'end');
  const minutes =
    a.minutesDuration !== undefined && Number.isInteger(a.minutesDuration) && a.minutesDuration >= 0
      ? a.minutesDuration
      : undefined;
  const appointmentType = toCodings(a.appointmentType)[0];
  const reason = (a.reasonCode ?? []).flatMap((r) => toCodings(r));
  const cancellation =
    nonEmpty(a.cancelationReason?.text) ?? toCodings(a.cancelationReason)[0]?.display ?? toCodings(a.cancelationReason)[0]?.code;
  const updatedAt = a.meta?.lastUpdated && !Number.isNaN(Date.parse(a.meta.lastUpdated)) ? a.meta.lastUpdated : undefined;
  const participants = (a.participant ?? []).map(readParticipant);
  const identifiers = (a.identifier ?? []).flatMap((i) =>
    nonEmpty(i.value) ? [{ value: i.value!, ...(nonEmpty(i.system) && { system: i.system! }) }] : [],
  );
  const serviceCategory = (a.serviceCategory ?? []).flatMap((c) => toCodings(c));
  let priority: number | undefined;
  if (a.priority !== undefined) {
    if (Number.isInteger(a.priority) && a.priority >= 0) priority = a.priority;
    else drop('priority', 'invalid_priority');
  }
  return {
    ...(a.id && { id: a.id, source: { system: FHIR_SOURCE_SYSTEM, id: a.id } }),
    ...(contactId && { contactId }),
    status: a.status as Appointment['status'],
    ...(start && { start }),
    ...(end && { end }),
    ...(minutes !== undefined && { minutesDuration: minutes }),
    serviceType: (a.serviceType ?? []).flatMap((s) => toCodings(s)),
    specialty: (a.specialty ?? []).flatMap((s) => toCodings(s)),
    ...(appointmentType && { appointmentType }),
    ...(reason.length > 0 && { reason }),
    ...(nonEmpty(a.description) && { description: a.description }),
    ...(practitioner && Object.keys(practitioner).length > 0 && { practitioner }),
    ...(location && Object.keys(location).length > 0 && { location }),
    ...(cancellation && { cancellationReason: cancellation }),
    ...(participants.length > 0 && { participants }),
    ...(nonEmpty(a.comment) && { comment: a.comment }),
    ...(identifiers.length > 0 && { identifiers }),
    ...(serviceCategory.length > 0 && { serviceCategory }),
    ...(priority !== undefined && { priority }),
    ...(updatedAt && { updatedAt }),
  };
}

/** A canonical participant as FHIR; the actor reference is `actorType/actorId` when both are known. */
function writeParticipant(p: Participant, fallbackStatus: AppointmentParticipant['status']): AppointmentParticipant {
  if (p.actorId !== undefined && !FHIR_ID.test(p.actorId)) throw invalidField('participants.actorId', 'expected a FHIR id');
  if (p.actorType !== undefined && !/^[A-Z][A-Za-z]+$/.test(p.actorType)) {
    throw invalidField('participants.actorType', 'expected a FHIR resource type');
  }
  const display = nonEmpty(p.display);
  const reference = p.actorType && p.actorId ? `${p.actorType}/${p.actorId}` : undefined;
  const type = p.type.flatMap((t) => toConcept([t]) ?? []);
  const hasActor = reference !== undefined || display !== undefined;
  return {
    ...(type.length > 0 && { type }),
    ...(hasActor && {
      actor: {
        ...(reference && { reference }),
        ...(!reference && p.actorType && { type: p.actorType }),
        ...(display && { display }),
      },
    }),
    ...(p.required && { required: p.required }),
    status: p.status ?? fallbackStatus,
  } as AppointmentParticipant;
}

function participant(
  type: string,
  id: string | undefined,
  display: string | undefined,
  status: AppointmentParticipant['status'],
) {
  if (id !== undefined && !FHIR_ID.test(id)) throw invalidField(`${type.toLowerCase()}.id`, 'expected a FHIR id');
  const d = nonEmpty(display);
  if (!id && !d) return undefined;
  return { actor: { ...(id && { reference: `${type}/${id}` }), ...(d && { display: d }) }, status } as AppointmentParticipant;
}

/**
 * Maps a canonical Appointment to a FHIR R4 Appointment that validates against the FHIR schema.
 * Participants are `participants` as read (the `contactId` patient added when missing), else built
 * from `contactId` (Patient), `practitioner` and `location`; at least one is required. Comment,
 * identifiers, service category and priority are written as read. Times must carry a time zone; a missing `end` is computed from `start` +
 * `minutesDuration` (FHIR wants both or neither), and a booked, arrived or fulfilled appointment
 * needs them (invariant app-3).
 */
export function appointmentToFhirAppointment(
  appointment: z.input<typeof AppointmentSchema>,
  options: AppointmentWriteOptions = {},
): FhirAppointment {
  const a = parseOrThrow(AppointmentSchema, appointment, 'Appointment');
  const status: AppointmentParticipant['status'] =
    a.status === 'proposed' || a.status === 'pending' ? 'needs-action' : 'accepted';
  let participants: AppointmentParticipant[];
  if (a.participants && a.participants.length > 0) {
    // Every participant as read (practitioners, location, "Phone Call"), the patient added if missing.
    participants = a.participants.map((p) => writeParticipant(p, status));
    const hasPatient = a.participants.some((p) => p.actorType === 'Patient' && p.actorId === a.contactId);
    const patient = !hasPatient ? participant('Patient', a.contactId, undefined, status) : undefined;
    if (patient) participants.unshift(patient);
  } else {
    participants = [
      participant('Patient', a.contactId, undefined, status),
      participant('Practitioner', a.practitioner?.id, a.practitioner?.display, status),
      participant('Location', a.location?.id, a.location?.display, status),
    ].filter((p): p is AppointmentParticipant => p !== undefined);
  }
  if (participants.length === 0)
    throw invalidField('contactId', 'an Appointment needs a participant: contactId, practitioner or location');
  const start = a.start ? toFhirInstant(a.start, 'start') : undefined;
  let end = a.end ? toFhirInstant(a.end, 'end') : undefined;
  if (start && !end && a.minutesDuration) end = new Date(Date.parse(start) + a.minutesDuration * 60_000).toISOString();
  if (!!start !== !!end) throw invalidField(start ? 'end' : 'start', 'start and end go together (give end or minutesDuration)');
  if (!start && !['proposed', 'cancelled', 'waitlist'].includes(a.status)) {
    throw invalidField('start', `a ${a.status} appointment needs start and end`);
  }
  if (start && end && Date.parse(end) < Date.parse(start)) throw invalidField('end', 'end is before start');
  const appointmentType = a.appointmentType ? toConcept([a.appointmentType]) : undefined;
  const reasonCode = (a.reason ?? []).flatMap((r) => toConcept([r]) ?? []);
  const slot = (options.slotIds ?? []).map((id) => {
    if (!FHIR_ID.test(id)) throw invalidField('slotIds', 'expected FHIR ids');
    return { reference: `Slot/${id}` };
  });
  const identifier: Array<{ system?: string; value: string }> = [];
  for (const i of [...(a.identifiers ?? []), ...(options.identifiers ?? [])]) {
    if (!nonEmpty(i.value)) continue;
    if (identifier.some((o) => o.system === i.system && o.value === i.value)) continue;
    identifier.push({ ...(nonEmpty(i.system) && { system: i.system! }), value: i.value });
  }
  const id = a.source?.system === FHIR_SOURCE_SYSTEM ? a.source.id : undefined;
  const serviceType = a.serviceType.flatMap((s) => toConcept([s]) ?? []);
  const specialty = a.specialty.flatMap((s) => toConcept([s]) ?? []);
  const cancelationReason = nonEmpty(a.cancellationReason);
  const serviceCategory = (a.serviceCategory ?? []).flatMap((c) => toConcept([c]) ?? []);
  return {
    resourceType: 'Appointment',
    ...(id && { id }),
    ...(identifier.length > 0 && { identifier }),
    status: a.status,
    ...(cancelationReason && { cancelationReason: { text: cancelationReason } }),
    ...(serviceCategory.length > 0 && { serviceCategory }),
    ...(serviceType.length > 0 && { serviceType }),
    ...(specialty.length > 0 && { specialty }),
    ...(appointmentType && { appointmentType }),
    ...(reasonCode.length > 0 && { reasonCode }),
    ...(a.priority !== undefined && { priority: a.priority }),
    ...(nonEmpty(a.description) && { description: a.description }),
    ...(start && { start }),
    ...(end && { end }),
    ...(a.minutesDuration && { minutesDuration: a.minutesDuration }),
    ...(slot.length > 0 && { slot }),
    ...(nonEmpty(a.comment) && { comment: a.comment }),
    participant: participants,
  };
}
