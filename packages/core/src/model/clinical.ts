import { z } from 'zod';
import { Coding, IsoDateTime, SourceRef } from './common.js';
import { phi } from './registry.js';

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
