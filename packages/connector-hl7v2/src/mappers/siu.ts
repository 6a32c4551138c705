import type { Coding } from '@hmi/core';
import { Appointment, Contact } from '@hmi/core/schemas';
import type { Hl7Message } from '../parser/message.js';
import { codings, comp, hl7DateTime, type Hl7MapOptions, type Hl7MappingIssue, reps, value } from './datatypes.js';
import { mappingError } from './errors.js';
import { patientPid, pidToContact } from './person.js';

type Status = Appointment['status'];

// HL7 table 0278 filler status codes.
const FILLER_STATUS: Record<string, Status> = {
  BOOKED: 'booked',
  OVERBOOK: 'booked',
  PENDING: 'pending',
  WAITLIST: 'waitlist',
  STARTED: 'arrived',
  COMPLETE: 'fulfilled',
  CANCELLED: 'cancelled',
  DC: 'cancelled',
  DELETED: 'entered-in-error',
  NOSHOW: 'noshow',
};

/** SIU triggers the mapper understands, and the status each implies. */
export const SIU_TRIGGERS = ['S12', 'S13', 'S14', 'S15', 'S16', 'S17', 'S26'] as const;

/**
 * Triggers that end an appointment: S15 cancelled, S16 discontinued, S17 deleted. Each maps to
 * status `cancelled` with `stopReminders`, so a CRM that acts on the status stops its reminders.
 */
export const SIU_CANCEL_TRIGGERS = ['S15', 'S16', 'S17'] as const;

const CANCEL_REASON: Record<string, string> = { S15: 'cancelled', S16: 'discontinued', S17: 'deleted' };

/** What an SIU message says. */
export interface SiuAppointmentResult {
  appointment: Appointment;
  /**
   * True when the appointment no longer takes place (cancelled, discontinued, deleted, no-show):
   * any reminder scheduled for it must not be sent.
   */
  stopReminders: boolean;
  /** The patient from PID, when the message has one. */
  patient: Contact | undefined;
  issues: Hl7MappingIssue[];
}

function unitMinutes(unit: string): number | undefined {
  const u = unit.toLowerCase();
  if (/^(min|mins|minutes?|m)$/.test(u)) return 1;
  if (/^(h|hr|hrs|hours?)$/.test(u)) return 60;
  if (/^(s|sec|secs|seconds?)$/.test(u)) return 1 / 60;
  if (/^(d|days?)$/.test(u)) return 1440;
  return undefined;
}

/**
 * Maps SIU S12–S17 (and S26) to an Appointment. Status: S12 and S13 (rescheduled) booked, S14
 * (modified) from SCH-25 (else booked), S15 (cancelled), S16 (discontinued) and S17 (deleted)
 * cancelled with `stopReminders`, S26 no-show. The id is SCH-2 (filler), else SCH-1 (placer), so
 * a cancellation finds the booking it ends. Times from TQ1-7/8, else
 * SCH-11.4/5, else the earliest AIS/AIL/AIP start; duration from start and end, else SCH-9/10.
 * Services from AIS-3, practitioner from AIP-3 (role AIP-4 as specialty), location from AIL-3.
 */
export function siuToAppointment(msg: Hl7Message, options: Hl7MapOptions = {}): SiuAppointmentResult {
  if (msg.count('SCH') === 0) throw mappingError('no SCH segment', 'SCH');
  const issues: Hl7MappingIssue[] = [];
  const off = options;
  const trigger = (msg.triggerEvent ?? '').toUpperCase();
  const filler = FILLER_STATUS[(value(msg, 'SCH-25.1') ?? '').toUpperCase()];
  const ended = (SIU_CANCEL_TRIGGERS as readonly string[]).includes(trigger);
  const status: Status = ended ? 'cancelled' : trigger === 'S26' ? 'noshow' : trigger === 'S14' ? (filler ?? 'booked') : 'booked';

  const resourceStarts = ['AIS-4', 'AIL-6', 'AIP-6'].flatMap((p) =>
    msg.getAll(`${p}.1`).flatMap((t) => hl7DateTime(t, off) ?? []),
  );
  resourceStarts.sort((a, b) => Date.parse(a) - Date.parse(b));
  const start = hl7DateTime(msg.get('TQ1-7.1'), off) ?? hl7DateTime(msg.get('SCH-11.4'), off) ?? resourceStarts[0];
  const end = hl7DateTime(msg.get('TQ1-8.1'), off) ?? hl7DateTime(msg.get('SCH-11.5'), off);
  let minutesDuration: number | undefined;
  if (start && end && Date.parse(end) >= Date.parse(start)) {
    minutesDuration = Math.round((Date.parse(end) - Date.parse(start)) / 60_000);
  } else {
    const amount = Number(value(msg, 'SCH-9') ?? value(msg, 'AIS-7'));
    const per = unitMinutes(value(msg, 'SCH-10.1') ?? value(msg, 'AIS-8.1') ?? 'min');
    if (Number.isFinite(amount) && amount >= 0 && per !== undefined) minutesDuration = Math.round(amount * per);
  }

  const dedupe = (list: Coding[]) =>
    list.filter((c, i) => list.findIndex((o) => o.code === c.code && o.system === c.system) === i);
  const serviceType = dedupe(reps(msg, 'AIS-3').flatMap(({ rep }) => codings(rep).slice(0, 1)));
  const aipCount = msg.count('AIP');
  const specialty = dedupe(
    Array.from({ length: aipCount }, (_, i) => codings(msg.repetitions(`AIP[${i + 1}]-4`)[0]).slice(0, 1)).flat(),
  );
  const practitionerRep = msg.repetitions('AIP-3')[0];
  const practitionerName = [comp(practitionerRep, 3), comp(practitionerRep, 2)].filter(Boolean).join(' ');
  const locationRep = msg.repetitions('AIL-3')[0];
  const locationDisplay =
    comp(locationRep, 9) ||
    [comp(locationRep, 1), comp(locationRep, 2), comp(locationRep, 3), comp(locationRep, 4)].filter(Boolean).join(', ');
  const appointmentType = codings(msg.repetitions('SCH-8')[0])[0];
  const reason = codings(msg.repetitions('SCH-7')[0]);
  const cancelRep = msg.repetitions('SCH-6')[0];
  const id = value(msg, 'SCH-2.1') ?? value(msg, 'SCH-1.1');
  const updatedAt = hl7DateTime(msg.get('MSH-7.1'), off);

  // Every resource the message books: each AIP (practitioner, role AIP-4) and AIL (location).
  const participants: NonNullable<Appointment['participants']> = [];
  for (let i = 1; i <= msg.count('AIP'); i++) {
    const rep = msg.repetitions(`AIP[${i}]-3`)[0];
    const display = [comp(rep, 3), comp(rep, 2)].filter(Boolean).join(' ');
    if (!comp(rep, 1) && !display) continue;
    participants.push({
      actorType: 'Practitioner',
      ...(comp(rep, 1) && { actorId: comp(rep, 1) }),
      ...(display && { display }),
      type: codings(msg.repetitions(`AIP[${i}]-4`)[0]).slice(0, 1),
    });
  }
  for (let i = 1; i <= msg.count('AIL'); i++) {
    const rep = msg.repetitions(`AIL[${i}]-3`)[0];
    const display = comp(rep, 9) || [comp(rep, 1), comp(rep, 2), comp(rep, 3), comp(rep, 4)].filter(Boolean).join(', ');
    if (!comp(rep, 1) && !display) continue;
    participants.push({
      actorType: 'Location',
      ...(comp(rep, 1) && { actorId: comp(rep, 1) }),
      ...(display && { display }),
      type: [],
    });
  }

  const appointment = Appointment.parse({
    ...(id && { id, source: { system: 'hl7v2', id } }),
    status,
    ...(start && { start }),
    ...(end && { end }),
    ...(minutesDuration !== undefined && { minutesDuration }),
    serviceType,
    specialty,
    ...(appointmentType && { appointmentType }),
    ...(reason.length > 0 && { reason }),
    ...((comp(practitionerRep, 1) || practitionerName) && {
      practitioner: {
        ...(comp(practitionerRep, 1) && { id: comp(practitionerRep, 1) }),
        ...(practitionerName && { display: practitionerName }),
      },
    }),
    ...((comp(locationRep, 1) || locationDisplay) && {
      location: {
        ...(comp(locationRep, 1) && { id: comp(locationRep, 1) }),
        ...(locationDisplay && { display: locationDisplay }),
      },
    }),
    ...(status === 'cancelled' && {
      cancellationReason: comp(cancelRep, 2) || comp(cancelRep, 1) || CANCEL_REASON[trigger] || 'cancelled',
    }),
    ...(participants.length > 0 && { participants }),
    ...(updatedAt && { updatedAt }),
  });
  const pid = patientPid(msg);
  const patient = pid ? Contact.parse(pidToContact(msg, pid, options, issues)) : undefined;
  const stopReminders = ['cancelled', 'noshow', 'entered-in-error'].includes(status);
  return { appointment, stopReminders, patient, issues };
}
