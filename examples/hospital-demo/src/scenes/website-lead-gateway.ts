// Scene 5: the hospital's website posts a contact form to hmi's HTTP API (@hmi/gateway), served on
// loopback over a real socket: an API key confined to one facility, an Idempotency-Key against
// double submits, E.164 deduplication across number formats, a refused privileged field, and the
// operator's view of the integration points and of the audit trail.
import { createGateway } from '@hmi/gateway';
import { listenOnLoopback } from '../loopback.js';
import { ltr, rtl } from '../output.js';
import { PATIENT_SYNC_ID } from './register-patient.js';
import { expectThat, type Scene } from './scene.js';

export const websiteLeadScene: Scene = {
  id: 'gateway',
  title: "A website lead arrives through hmi's HTTP API (API key, Idempotency-Key, E.164 dedupe, audit)",
  label: 'website form → gateway → contact',
  async run(h, report) {
    const gateway = createGateway({
      store: h.store,
      auth: {},
      flow: {
        telemetry: h.telemetry,
        integrations: { [PATIENT_SYNC_ID]: { description: 'EHR patients → CRM contacts', connector: 'fhir' } },
      },
    });
    const server = await listenOnLoopback(gateway);
    const base = server.url;
    try {
      const website = await gateway.keys.create({ name: 'website-contact-form', scopes: ['leads:write'], facility: 'riyadh' });
      const operator = await gateway.keys.create({ name: 'on-call', scopes: ['integrations:read', 'audit:read'] });
      report.step(
        `gateway on ${base}; website key ${website.key.slice(0, 18)}… (shown once, stored as SHA-256), facility riyadh`,
      );

      const post = (body: unknown, idempotencyKey?: string) =>
        fetch(`${base}/v1/leads`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${website.key}`,
            'content-type': 'application/json',
            ...(idempotencyKey && { 'idempotency-key': idempotencyKey }),
          },
          body: JSON.stringify(body),
        });
      const form = {
        name: 'سارة القحطاني',
        phone: '٠٥٠١٢٣٤٥٦٧',
        email: 'Sara.Q@example.sa',
        language: 'ar',
        source: 'website-contact-form',
        consents: [{ channel: 'email', purpose: 'marketing' }],
      };
      report.step(`the contact form posts ${rtl(form.name)}, mobile typed in Arabic-Indic digits ${rtl(form.phone)}`);
      const first = await post(form, 'form-8f2c91');
      const created = (await first.json()) as { created: boolean; contact: { id: string; facility: string; names?: unknown } };
      expectThat(first.status === 201 && created.created, `the lead answered ${first.status} instead of 201`);
      expectThat(created.contact.names === undefined, 'the website key must not read names back (no contacts:read:phi)');
      report.ok(`201 contact ${created.contact.id} (lead, ${created.contact.facility}); no name or phone in the answer`);

      const resent = await post(form, 'form-8f2c91');
      expectThat(
        resent.headers.get('idempotent-replayed') === 'true',
        'the resent form was not answered from the stored response',
      );
      report.ok('the browser resent it (same Idempotency-Key): the stored 201 was replayed, nothing new created');

      const booking = await post({ phone: '+966 50 123 4567', source: 'website-booking-form' });
      const matched = (await booking.json()) as { created: boolean; contact: { id: string } };
      expectThat(
        booking.status === 200 && matched.contact.id === created.contact.id,
        'the booking form did not find the same contact',
      );
      report.ok(`the booking form's ${ltr('+966 50 123 4567')} is the same +966501234567: 200, joined ${matched.contact.id}`);

      const sneaky = await post({ phone: '+966501234567', isAdmin: true });
      const problem = (await sneaky.json()) as { type: string };
      expectThat(sneaky.status === 400, `an unknown field answered ${sneaky.status} instead of 400`);
      report.ok(`an extra "isAdmin" field is refused: 400 ${problem.type}`);

      const auth = { authorization: `Bearer ${operator.key}` };
      const points = (await (await fetch(`${base}/v1/integrations`, { headers: auth })).json()) as {
        items: Array<{ id: string; status: string; lastSuccessAt: string | null }>;
      };
      const ehr = points.items.find((p) => p.id === PATIENT_SYNC_ID);
      expectThat(ehr?.lastSuccessAt, 'the EHR patient sync shows no successful run');
      report.ok(`on-call: GET /v1/integrations → ${PATIENT_SYNC_ID} ${ehr.status}, last success ${ehr.lastSuccessAt}`);
      const audit = (await (
        await fetch(`${base}/v1/audit?integrationPoint=gateway:riyadh&order=asc`, { headers: auth })
      ).json()) as {
        items: Array<{ operation: string; outcome: string }>;
      };
      const outcomes = audit.items.map((a) => a.outcome);
      expectThat(outcomes.join() === 'success,duplicate,success,rejected', `the audit trail shows ${outcomes.join()}`);
      report.ok(`audit: ${audit.items.length} gateway.createLead records (${outcomes.join(', ')}), ids and codes only`);
      return {
        figures: ['lead 201', 'resend replayed', 'dedupe 200', 'extra field 400'],
        facts: {
          leadStatus: first.status,
          replayed: true,
          dedupeStatus: booking.status,
          sameContact: matched.contact.id === created.contact.id,
          privilegedFieldStatus: sneaky.status,
          auditRecords: audit.items.length,
        },
      };
    } finally {
      await server.close();
      await gateway.close();
    }
  },
};
