// Scene 1: a patient registered in the EHR becomes a CRM contact.
// ADT^A04 over MLLP → the CRM maps it to a Contact → FHIR conditional create in the EHR → the FHIR
// `patients` stream, run by @hmi/flow's runSync with a checkpoint in SQLite → CRM contacts.
import type { Contact } from '@hmi/core';
import { ackCode, sendMllp } from '@hmi/connector-hl7v2';
import { runSync, type SyncResult, type SyncRetryOptions } from '@hmi/flow';
import { adtA04, PATIENT } from '../hl7-messages.js';
import { type Hospital, mrnOf } from '../hospital.js';
import { ltr, rtl } from '../output.js';
import { expectThat, type Scene } from './scene.js';

/** The checkpoint name of the EHR → CRM patient sync. */
export const PATIENT_SYNC_ID = 'ehr-patients-to-crm';

/**
 * One run of the EHR → CRM patient sync: the FHIR `patients` stream, resumed from its SQLite
 * checkpoint, into the CRM's contacts. Scene 1 runs it; `--serve` runs it again as the console's
 * "Run now".
 */
export function runPatientSync(
  h: Hospital,
  options: { signal?: AbortSignal; retry?: SyncRetryOptions } = {},
): Promise<SyncResult> {
  return runSync({
    id: PATIENT_SYNC_ID,
    source: h.fhir.streams.patients,
    keyOf: (contact) => contact.source?.id ?? mrnOf(contact) ?? 'unknown',
    destination: async (contact, { key }) => void h.crm.contacts.set(mrnOf(contact) ?? key, contact),
    state: h.store,
    telemetry: h.telemetry,
    connector: 'fhir',
    ...(options.signal && { signal: options.signal }),
    ...(options.retry && { retry: options.retry }),
  });
}

function nameIn(contact: Contact, language: 'ar' | 'en'): string | undefined {
  const name = contact.names.find((n) => (language === 'ar' ? n.language === 'ar' : n.language !== 'ar'));
  return name?.text ?? [...(name?.given ?? []), name?.family].filter(Boolean).join(' ');
}

export const registerPatientScene: Scene = {
  id: 'patient',
  title: 'A patient registered in the EHR becomes a CRM contact (HL7 ADT over MLLP → FHIR → CRM)',
  label: 'EHR patient → CRM contact',
  async run(h, report) {
    const { port } = h.crm.mllp;
    const controlId = `ADT${Date.now()}`;
    const message = adtA04(controlId, new Date());
    const arabicName = `${PATIENT.given.ar} ${PATIENT.family.ar}`;

    report.step(
      `EHR sends ADT^A04 ${controlId}: ${rtl(arabicName)}, mobile typed as ${ltr(PATIENT.localMobile)} → MLLP 127.0.0.1:${port}`,
    );
    const ack = await sendMllp({ host: '127.0.0.1', port, message, timeoutMs: 5_000 });
    expectThat(ackCode(ack) === 'AA', `the CRM answered ${ackCode(ack)} instead of AA`);
    const first = h.crm.hl7Outcomes.get(controlId);
    expectThat(first?.kind === 'patient', 'the ADT was not mapped to a patient');
    report.ok(
      `ACK AA (MSA-2 ${ack.get('MSA-2')}); mapped to a Contact, mobile normalised to ${ltr(first.contact.phones[0]?.value ?? '?')}`,
    );
    expectThat(first.created, 'the first ADT should have created the FHIR Patient');
    report.ok(`written to the EHR: FHIR Patient/${first.fhirId} created (conditional create on the MRN)`);

    report.step('the EHR resends the same ADT (no ACK seen on its side)');
    const again = await sendMllp({ host: '127.0.0.1', port, message, timeoutMs: 5_000 });
    const second = h.crm.hl7Outcomes.get(controlId);
    expectThat(ackCode(again) === 'AA' && second?.kind === 'patient', 'the resent ADT was not accepted');
    expectThat(!second.created && second.fhirId === first.fhirId, 'the resent ADT created a duplicate Patient');
    report.ok(`conditional create matched Patient/${second.fhirId}: no duplicate`);

    report.step('CRM reads the FHIR patients stream (incremental, checkpointed in SQLite)');
    const sync = await runPatientSync(h);
    const checkpoint = await h.store.getCheckpoint(PATIENT_SYNC_ID);
    expectThat(checkpoint !== undefined, 'the sync saved no checkpoint');
    report.ok(`${sync.records} patients in ${sync.pages} pages → CRM; checkpoint saved`);

    const contact = h.crm.contacts.get(PATIENT.mrn);
    expectThat(contact, `no CRM contact with MRN ${PATIENT.mrn} after the sync`);
    const ar = nameIn(contact, 'ar');
    const en = nameIn(contact, 'en');
    const mobile = contact.phones.find((p) => p.use === 'mobile')?.value ?? contact.phones[0]?.value;
    expectThat(ar === arabicName, 'the Arabic name did not survive the round trip');
    expectThat(mobile === PATIENT.e164Mobile, 'the mobile number did not survive the round trip');
    report.ok(
      `CRM contact ${PATIENT.mrn}: ${rtl(ar)} / ${en}, mobile ${ltr(mobile)}, language ${contact.languages.join(',')}, email kept: ${contact.emails.length > 0}`,
    );

    // A second run resumes from the checkpoint and finds nothing new.
    const rerun = await runPatientSync(h);
    expectThat(rerun.resumed && rerun.written === 0, 'the second sync run did not resume from its checkpoint');
    report.ok('second sync run resumed from the checkpoint: 0 new records');

    return {
      figures: [
        'ADT^A04 over MLLP: ACK AA',
        `FHIR Patient/${first.fhirId} created once (resend: no duplicate)`,
        `sync: ${sync.records} patients, ${sync.pages} pages`,
        `name ${rtl(ar)}, mobile ${ltr(mobile)}`,
      ],
      facts: {
        ack: 'AA',
        fhirId: first.fhirId,
        createdFirst: first.created,
        createdOnResend: second.created,
        arabicName: ar,
        englishName: en ?? '',
        mobile,
        language: contact.languages[0] ?? '',
        syncedRecords: sync.records,
        rerunWritten: rerun.written,
      },
    };
  },
};
