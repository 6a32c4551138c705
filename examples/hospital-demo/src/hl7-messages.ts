// The HL7 v2 messages the hospital's EHR sends: written the way a HIS writes them, with the
// Arabic name, a locally written Saudi mobile number and Riyadh-time timestamps.
import { FIXTURE_SYSTEMS } from '@hmi/connector-fhir/msw';

/** The patient the demo follows (fictional). */
export const PATIENT = {
  mrn: 'MRN-300001',
  nationalId: '1098765432',
  family: { ar: 'العتيبي', en: 'Al-Otaibi' },
  given: { ar: 'نورة', en: 'Noura' },
  /** As the registration clerk typed it: local format, no country code. */
  localMobile: '0555123456',
  e164Mobile: '+966555123456',
  email: 'noura.alotaibi@example.sa',
} as const;

/** `YYYYMMDDHHMMSS+0300` for an instant, in Riyadh time. */
export function hl7Time(date: Date): string {
  const riyadh = new Date(date.getTime() + 3 * 3_600_000);
  const iso = riyadh.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+0300`;
}

const PID = () =>
  [
    'PID',
    '1',
    '',
    // CX with the assigning authority's URI in CX-4.2, so the MRN keeps its system in FHIR.
    `${PATIENT.mrn}^^^&${FIXTURE_SYSTEMS.mrn}&URI^MR~${PATIENT.nationalId}^^^&${FIXTURE_SYSTEMS.nationalId}&URI^NI`,
    '',
    `${PATIENT.family.ar}^${PATIENT.given.ar}^^^^^L~${PATIENT.family.en}^${PATIENT.given.en}^^^^^A`,
    '',
    '19910412',
    'F',
    '',
    '',
    'طريق الملك عبدالعزيز^^الرياض^^12271^SA^H',
    '',
    `${PATIENT.localMobile}^PRN^CP~^NET^Internet^${PATIENT.email}`,
    '',
    'ar^Arabic^ISO639',
  ].join('|');

/** ADT^A04 (register a patient) from the hospital information system. */
export function adtA04(controlId: string, at: Date): string {
  return [
    `MSH|^~\\&|HIS|KFSH|CRM|HMI|${hl7Time(at)}||ADT^A04^ADT_A01|${controlId}|P|2.5.1|||||SA|UNICODE UTF-8`,
    `EVN|A04|${hl7Time(at)}`,
    PID(),
    'PV1|1|O|OPD^^^KFSH',
  ].join('\r');
}

/** SIU^S12 (new appointment booked) from the scheduling system. */
export function siuS12(controlId: string, at: Date, appointment: { id: string; start: Date; minutes: number }): string {
  const end = new Date(appointment.start.getTime() + appointment.minutes * 60_000);
  return [
    `MSH|^~\\&|SCHED|KFSH|CRM|HMI|${hl7Time(at)}||SIU^S12^SIU_S12|${controlId}|P|2.5.1|||||SA|UNICODE UTF-8`,
    `SCH|${appointment.id}^KFSH|${appointment.id}^KFSH|||||FOLLOWUP^Follow-up visit^HL70276|NORMAL^Routine schedule request^HL70277|${appointment.minutes}|min^minutes|^^${appointment.minutes}^${hl7Time(appointment.start)}^${hl7Time(end)}||||||||||||||BOOKED`,
    PID(),
    `AIS|1||DENT^Dental clinic^L|${hl7Time(appointment.start)}|||${appointment.minutes}|min`,
    'AIP|1||D-12^الشمري^خالد^^^د.|DENT^Dentist^L',
    'AIL|1||DENT-3^^^KFSH^^^^^عيادة الأسنان ٣',
  ].join('\r');
}
