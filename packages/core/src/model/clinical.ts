import { z } from 'zod';
import { Coding, IsoDateTime, SourceRef } from './common.js';
import { phi } from './registry.js';

/**
 * One participant of an appointment as the source listed it: patient, practitioners, location,
 * devices, or an actor-less participant such as a "Phone Call" display.
 */
export const AppointmentParticipant = z.object({
  /** What the actor is (FHIR resource type): `Patient`, `Practitioner`, `Location`, `RelatedPerson`, … */
  actorType: z.string().optional(),
  /** The actor's id in the source system. */
  actorId: z.string().optional(),
  /** How the source names the participant (may name a person: PHI). */
  display: phi(z.string()).optional(),
  /** Their role in the appointment (FHIR `participant.type`, e.g. `ATND`, `translator`). */
  type: z.array(Coding).default([]),
  required: z.enum(['required', 'optional', 'information-only']).optional(),
  status: z.enum(['accepted', 'declined', 'tentative', 'needs-action']).optional(),
});
/** One participant of an appointment. */
export type AppointmentParticipant = z.infer<typeof AppointmentParticipant>;

/** An appointment between a patient and the hospital. */
export const Appointment = z.object({
  id: z.string().optional(),
  source: SourceRef.optional(),
  contactId: z.string().optional(),
  status: z.enum([
    'proposed',
    'pending',
    'booked',
    'arrived',
    'fulfilled',
    'cancelled',
    'noshow',
    'entered-in-error',
    'checked-in',
    'waitlist',
  ]),
  start: IsoDateTime.optional(),
  end: IsoDateTime.optional(),
  minutesDuration: z.number().int().nonnegative().optional(),
  serviceType: z.array(Coding).default([]),
  specialty: z.array(Coding).default([]),
  appointmentType: Coding.optional(),
  /** Why the visit (may be clinical: PHI). */
  reason: phi(z.array(Coding)).optional(),
  description: phi(z.string()).optional(),
  practitioner: z.object({ id: z.string().optional(), display: z.string().optional() }).optional(),
  location: z.object({ id: z.string().optional(), display: z.string().optional() }).optional(),
  cancellationReason: z.string().optional(),
  /**
   * Every participant as the source listed it (the patient, each practitioner, the location,
   * "Phone Call"). `contactId`, `practitioner` and `location` remain the first of each kind.
   */
  participants: z.array(AppointmentParticipant).optional(),
  /** Free-text comment of the appointment (may be clinical: PHI). */
  comment: phi(z.string()).optional(),
  /** Business identifiers of the appointment in the source system. */
  identifiers: z.array(z.object({ system: z.string().optional(), value: z.string().min(1) })).optional(),
  /** Broad category of the service (FHIR `serviceCategory`). */
  serviceCategory: z.array(Coding).optional(),
  /** Priority as the source gave it (FHIR: 0 undefined, 1 highest, 9 lowest). */
  priority: z.number().int().nonnegative().optional(),
  updatedAt: IsoDateTime.optional(),
});
/** An appointment. */
export type Appointment = z.infer<typeof Appointment>;

/** A diagnosis or problem (FHIR Condition, HL7 DG1). All clinical content is PHI. */
export const Condition = z.object({
  id: z.string().optional(),
  source: SourceRef.optional(),
  contactId: z.string().optional(),
  code: phi(z.array(Coding)).default([]),
  text: phi(z.string()).optional(),
  clinicalStatus: z.enum(['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved']).optional(),
  verificationStatus: z
    .enum(['unconfirmed', 'provisional', 'differential', 'confirmed', 'refuted', 'entered-in-error'])
    .optional(),
  category: z.array(Coding).default([]),
  severity: Coding.optional(),
  onset: z.string().optional(),
  abatement: z.string().optional(),
  recordedDate: z.string().optional(),
  updatedAt: IsoDateTime.optional(),
});
/** A diagnosis or problem. */
export type Condition = z.infer<typeof Condition>;
