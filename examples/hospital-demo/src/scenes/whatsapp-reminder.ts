// Scene: the appointment reminder goes out on WhatsApp first — patients in the Gulf answer WhatsApp
// before SMS — as an approved Arabic UTILITY template (transactional: no marketing consent needed),
// and falls back to SMS through Twilio when WhatsApp reports it undeliverable (131026), whether in
// the signed status webhook or as the send's own error. A MARKETING template to the same patient,
// who has not consented, never leaves; her reply إيقاف becomes a consent revocation in the CRM.
// Self-contained: the scene starts its own WhatsApp sandbox (the connector's `./msw` fake on
// loopback), its own connector and its own webhook endpoint.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ConsentEvent, ConsentError, isHmiError, type Message } from '@hmi/core';
import { createWhatsAppConnector, UNDELIVERABLE } from '@hmi/connector-whatsapp';
import {
  createFakeWhatsAppApi,
  FIXTURE_IDS,
  inboundTextPayload,
  signedWhatsAppWebhook,
  statusPayload,
} from '@hmi/connector-whatsapp/msw';
import { createWebhookHandler, toNodeHandler } from '@hmi/flow';
import { PATIENT } from '../hl7-messages.js';
import { ltr, rtl } from '../output.js';
import { startHttpSandbox } from '../sandbox/http-sandbox.js';
import { expectThat, type Scene, waitFor } from './scene.js';

/** The WhatsApp sandbox's made-up credentials (registered with the connector's redactor). */
export const WHATSAPP_DEMO_SECRETS = {
  accessToken: 'EAAG_demo_whatsapp_system_user_7c2e',
  appSecret: 'demo_whatsapp_app_secret_4b9d',
} as const;

/** The SMS sent when WhatsApp cannot deliver the reminder. */
const FALLBACK_SMS = 'تذكير: موعدكم في عيادة الأسنان غدًا الساعة 10:30. للإلغاء اتصلوا على 920012345.';

export const whatsAppReminderScene: Scene = {
  id: 'whatsapp',
  title: 'The reminder on WhatsApp (Arabic UTILITY template), SMS via Twilio when WhatsApp reports it undeliverable',
  label: 'WhatsApp reminder → SMS fallback',
  async run(h, report) {
    const contact = h.crm.contacts.get(PATIENT.mrn);
    expectThat(contact, 'the patient is not a CRM contact (scene 1 creates it)');
    const mobile = contact.phones.find((p) => p.use === 'mobile')?.value ?? contact.phones[0]?.value;
    expectThat(mobile, 'the contact has no mobile');
    const contactId = contact.source?.id ?? PATIENT.mrn;
    const sandbox = await startHttpSandbox('WhatsApp');
    const fake = createFakeWhatsAppApi({ baseUrl: sandbox.url, accessToken: WHATSAPP_DEMO_SECRETS.accessToken });
    sandbox.use(fake.handlers);
    // `allowInsecureHttp` only because the sandbox is a plain-HTTP loopback server.
    const whatsapp = createWhatsAppConnector(
      {
        ...WHATSAPP_DEMO_SECRETS,
        phoneNumberId: FIXTURE_IDS.phoneNumberId,
        businessAccountId: FIXTURE_IDS.businessAccountId,
        defaultRegion: 'SA',
        consent: {
          check: ({ channel, recipient }) => h.crm.marketingConsent.has(`${channel}:${recipient}`),
          onEvent: (event) => void h.crm.consentEvents.push(event),
        },
        baseUrl: sandbox.url,
        allowInsecureHttp: true,
        timeoutMs: 5_000,
      },
      { telemetry: h.telemetry },
    );
    const fallbacks: Message[] = [];
    const smsFallback = async (to: string, why: string) => {
      report.step(`SMS fallback via Twilio (${why})`);
      const sms = await h.twilio.actions.sendSms({ to, body: FALLBACK_SMS, purpose: 'transactional', contactId });
      fallbacks.push(sms);
      report.ok(`Twilio ${sms.id} ${sms.status} to ${ltr(sms.to)}: ${rtl(FALLBACK_SMS)}`);
    };
    const statuses: Message[] = [];
    const consents: ConsentEvent[] = [];
    const handler = createWebhookHandler({
      connectors: { whatsapp },
      store: h.store,
      telemetry: h.telemetry,
      processing: { pollInterval: '50ms' },
      async onEvent(event) {
        if (event.type.startsWith('message.') && event.type !== 'message.received') {
          const message = event.data as Message;
          statuses.push(message);
          if (message.status === 'undelivered') await smsFallback(message.to as string, `status webhook: ${message.errorCode}`);
        }
        if (event.type === 'consent.revoked') consents.push(event.data as ConsentEvent);
      },
    });
    const server = createServer(toNodeHandler(handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`;
    const deliver = async (payload: unknown, secret: string = WHATSAPP_DEMO_SECRETS.appSecret) => {
      const signed = signedWhatsAppWebhook(endpoint, payload, secret);
      return fetch(endpoint, { method: 'POST', headers: signed.headers, body: await signed.text() });
    };

    try {
      report.step('a MARKETING template (heart check-up campaign) to the patient, who has not consented on WhatsApp');
      const refusal = await whatsapp.actions
        .sendTemplate({ to: mobile, template: 'heart_checkup_campaign', language: 'ar', category: 'MARKETING', contactId })
        .then(() => undefined)
        .catch((error: unknown) => error);
      expectThat(ConsentError.isInstance(refusal) && sandbox.requestCount === 0, 'a marketing template went out without consent');
      report.ok(`ConsentError (${refusal.reason}), WhatsApp requests: ${sandbox.requestCount}`);

      const estimate = await whatsapp.actions.estimateSend({ to: mobile, category: 'UTILITY' });
      report.step(`the reminder as the Arabic UTILITY template appointment_reminder (billed as ${estimate.category})`);
      const sent = await whatsapp.actions.sendTemplate({
        to: mobile,
        template: 'appointment_reminder',
        language: 'ar',
        category: 'UTILITY',
        contactId,
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'نورة' },
              { type: 'text', text: 'عيادة الأسنان' },
              { type: 'text', text: 'غدًا 10:30' },
            ],
          },
        ],
      });
      const onWire = fake.state.sent.at(-1);
      expectThat(
        onWire?.type === 'template' && onWire.to === mobile.slice(1),
        'WhatsApp did not get the template for the patient',
      );
      report.ok(`WhatsApp accepted ${sent.id} (${sent.purpose}, ${sent.category}) to ${ltr(sent.to)}`);

      report.step('WhatsApp posts the status: failed, 131026 (undeliverable) — a forged copy first');
      const failed = statusPayload({ id: sent.id, recipient: mobile, status: 'failed', errorCode: 131026 });
      const forged = await deliver(failed, 'not_the_app_secret_000');
      expectThat(forged.status === 401, `the forged status got ${forged.status}, not 401`);
      const accepted = await deliver(failed);
      expectThat(accepted.status === 200, `the signed status got ${accepted.status}, not 200`);
      await waitFor(() => fallbacks.length === 1, 'the SMS fallback after the undeliverable status');
      report.ok(`forged: 401; signed: 200 → message.${statuses[0]?.status} (${statuses[0]?.errorCode}) → SMS sent`);

      report.step('results-ready notice: WhatsApp refuses the send itself with 131026');
      fake.state.undeliverable.add(mobile.slice(1));
      const direct = await whatsapp.actions
        .sendTemplate({ to: mobile, template: 'results_ready', language: 'ar', category: 'UTILITY', contactId })
        .then(() => undefined)
        .catch((error: unknown) => error);
      expectThat(isHmiError(direct) && direct.code === UNDELIVERABLE && !direct.retryable, 'the 131026 send error was not typed');
      report.ok(`${direct.name} (${direct.code}, vendor ${direct.vendorCode}), not retried`);
      await smsFallback(mobile, `send error: ${direct.vendorCode}`);

      report.step(`the patient replies on WhatsApp: ${rtl('إيقاف')}`);
      const reply = await deliver(inboundTextPayload({ from: mobile, text: 'إيقاف', timestamp: Math.floor(Date.now() / 1000) }));
      expectThat(reply.status === 200, `the inbound message got ${reply.status}, not 200`);
      await waitFor(() => consents.length === 1, 'the consent revocation');
      const revoked = consents[0]!;
      expectThat(
        h.crm.consentEvents.some((e) => e.channel === 'whatsapp' && e.recipient === mobile && e.type === 'consent.revoked'),
        'the CRM did not record the WhatsApp opt-out',
      );
      report.ok(`${revoked.type} (${revoked.channel}, ${revoked.purpose}, ${revoked.source}) recorded in the CRM`);

      return {
        figures: [`WhatsApp ${estimate.category} template; 131026 → ${fallbacks.length} SMS fallbacks`, 'forged status: 401'],
        facts: {
          marketingRefused: ConsentError.isInstance(refusal),
          requestsDuringRefusal: 0,
          templateCategory: sent.category,
          templatePurpose: sent.purpose ?? '',
          templateLanguage: 'ar',
          reminderTo: sent.to as string,
          statusMapped: statuses[0]?.status ?? '',
          statusErrorCode: statuses[0]?.errorCode ?? '',
          sendErrorCode: isHmiError(direct) ? direct.code : '',
          smsFallbacks: fallbacks.length,
          smsFallbackTo: (fallbacks[0]?.to as string | undefined) ?? '',
          forgedStatus: forged.status,
          optOut: `${revoked.type}:${revoked.channel}`,
        },
      };
    } finally {
      await handler.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await whatsapp.close();
      await sandbox.close();
    }
  },
};
