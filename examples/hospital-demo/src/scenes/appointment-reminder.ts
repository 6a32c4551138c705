// Scene 2: an appointment booked in the EHR (SIU^S12 over MLLP) triggers a bilingual SMS reminder
// through Twilio and an email through SendGrid, in the patient's language. A marketing message to
// the same patient, who has not consented, is refused by the consent gate before any request.
import { type BilingualTemplate, ConsentError, type Contact, pickLanguage } from '@hmi/core';
import { ackCode, sendMllp } from '@hmi/connector-hl7v2';
import { countSmsSegments } from '@hmi/connector-twilio';
import { PATIENT, siuS12 } from '../hl7-messages.js';
import { mrnOf } from '../hospital.js';
import { ltr, rtl } from '../output.js';
import { expectThat, type Scene } from './scene.js';

/** The SMS reminder, in Arabic and English. */
export const REMINDER_SMS: BilingualTemplate = {
  ar: 'مرحباً {{name}}، نذكّركم بموعدكم في {{clinic}} يوم {{day}} الساعة {{time}}. للإلغاء أو التعديل اتصلوا على {{phone}}.',
  en: 'Hello {{name}}, a reminder of your appointment at {{clinic}} on {{day}} at {{time}}. To cancel or change it, call {{phone}}.',
};

const REMINDER_EMAIL = {
  subject: { ar: 'تذكير بموعدكم في {{clinic}}', en: 'Your appointment at {{clinic}}' },
  html: {
    ar: '<p>مرحباً {{name}}،</p><p>نذكّركم بموعدكم في {{clinic}} يوم {{day}} الساعة {{time}} مع {{doctor}}.</p>',
    en: '<p>Hello {{name}},</p><p>A reminder of your appointment at {{clinic}} on {{day}} at {{time}} with {{doctor}}.</p>',
  },
};

const CLINIC = { ar: 'عيادة الأسنان', en: 'the Dental Clinic' };
const CALL_CENTRE = '920012345';

/** Tomorrow at 10:30, Riyadh time. */
function tomorrowAt1030(): Date {
  const riyadh = new Date(Date.now() + 3 * 3_600_000);
  return new Date(Date.UTC(riyadh.getUTCFullYear(), riyadh.getUTCMonth(), riyadh.getUTCDate() + 1, 7, 30));
}

function localDayAndTime(iso: string, language: string): { day: string; time: string } {
  const locale = language === 'ar' ? 'ar-SA-u-ca-gregory-nu-latn' : 'en-GB';
  const date = new Date(iso);
  const zone = { timeZone: 'Asia/Riyadh' } as const;
  return {
    day: new Intl.DateTimeFormat(locale, { ...zone, weekday: 'long', day: 'numeric', month: 'long' }).format(date),
    time: new Intl.DateTimeFormat('en-GB', { ...zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date),
  };
}

function givenName(contact: Contact, language: string): string {
  const name = contact.names.find((n) => (language === 'ar' ? n.language === 'ar' : n.language !== 'ar')) ?? contact.names[0];
  return name?.given?.[0] ?? name?.text ?? '';
}

export const appointmentScene: Scene = {
  id: 'appointment',
  title: 'An appointment triggers a bilingual SMS (Twilio) and an email (SendGrid); marketing without consent is refused',
  label: 'appointment → SMS + email',
  async run(h, report) {
    const { port } = h.crm.mllp;
    const controlId = `SIU${Date.now()}`;
    const start = tomorrowAt1030();
    report.step(`scheduling system sends SIU^S12 ${controlId} (APT-7781, tomorrow 10:30 Riyadh) → MLLP`);
    const ack = await sendMllp({
      host: '127.0.0.1',
      port,
      message: siuS12(controlId, new Date(), { id: 'APT-7781', start, minutes: 30 }),
      timeoutMs: 5_000,
    });
    expectThat(ackCode(ack) === 'AA', `the CRM answered ${ackCode(ack)} instead of AA`);
    const outcome = h.crm.hl7Outcomes.get(controlId);
    expectThat(outcome?.kind === 'appointment', 'the SIU was not mapped to an appointment');
    const { appointment, patient } = outcome.mapped;
    expectThat(appointment.start && Date.parse(appointment.start) === start.getTime(), 'the appointment time was not kept');
    report.ok(
      `ACK AA; Appointment ${appointment.id} ${appointment.status}, ${appointment.start} (${appointment.minutesDuration} min) with ${rtl(appointment.practitioner?.display ?? '?')}`,
    );

    const mrn = patient ? mrnOf(patient) : undefined;
    const contact = mrn ? h.crm.contacts.get(mrn) : undefined;
    expectThat(contact, 'the appointment’s patient is not a CRM contact (scene 1 creates it)');
    const mobile = contact.phones.find((p) => p.use === 'mobile')?.value ?? contact.phones[0]?.value;
    const email = contact.emails[0]?.value;
    expectThat(mobile && email, 'the contact has no mobile or email');
    const contactId = contact.source?.id ?? PATIENT.mrn;

    // The template language comes from the contact's preferred languages (`ar` here).
    const language = pickLanguage(REMINDER_SMS, contact.languages);
    const when = localDayAndTime(appointment.start!, language);
    const vars = {
      name: givenName(contact, language),
      clinic: language === 'ar' ? CLINIC.ar : CLINIC.en,
      ...when,
      phone: CALL_CENTRE,
    };
    report.step(`SMS reminder via Twilio, language chosen from the contact: ${contact.languages.join(',')} → ${language}`);
    const sms = await h.twilio.actions.sendTemplatedSms({
      to: mobile,
      template: REMINDER_SMS,
      vars,
      languages: contact.languages,
      purpose: 'transactional',
      contactId,
    });
    const sent = h.fakes.twilio.messages.get(sms.id);
    expectThat(sent?.to === PATIENT.e164Mobile, 'Twilio did not get the message for the patient’s number');
    const segments = sms.segments;
    expectThat(segments?.encoding === 'UCS-2', 'an Arabic SMS must be sent as UCS-2');
    const english = countSmsSegments(
      REMINDER_SMS.en
        .replace('{{name}}', givenName(contact, 'en'))
        .replace('{{clinic}}', CLINIC.en)
        .replace('{{day}}', localDayAndTime(appointment.start!, 'en').day)
        .replace('{{time}}', when.time)
        .replace('{{phone}}', CALL_CENTRE),
    );
    report.ok(`Twilio ${sms.id} ${sms.status} to ${ltr(sms.to)}: ${rtl(sent.body)}`);
    report.ok(
      `${segments.encoding}, ${segments.units} characters → ${segments.segments} segments (the English text would be ${english.encoding}, ${english.segments})`,
    );

    report.step('email reminder via SendGrid (same language)');
    const mail = await h.sendgrid.actions.sendTemplatedEmail({
      to: { email, contactId, languages: contact.languages },
      template: REMINDER_EMAIL,
      vars: { ...vars, doctor: outcome.mapped.appointment.practitioner?.display ?? '' },
      purpose: 'transactional',
    });
    const body = h.fakes.sendgrid.sent.at(-1)?.body as { content?: Array<{ type: string; value: string }> } | undefined;
    const html = body?.content?.find((c) => c.type === 'text/html')?.value ?? '';
    expectThat(mail.languages[0]?.language === 'ar' && /dir="rtl"/.test(html), 'the Arabic email is not marked right-to-left');
    report.ok(`SendGrid accepted ${mail.messages[0]?.id} (${mail.languages[0]?.language}, HTML dir="rtl")`);

    report.step('a MARKETING SMS and email to the same patient, who has not consented');
    const twilioBefore = h.sandboxes.twilio.requestCount;
    const sendgridBefore = h.sandboxes.sendgrid.requestCount;
    const smsRefusal = await h.twilio.actions
      .sendSms({ to: mobile, body: 'خصم ٣٠٪ على تنظيف الأسنان هذا الشهر', purpose: 'marketing', contactId })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    const mailRefusal = await h.sendgrid.actions
      .sendEmail({ to: { email, contactId }, subject: 'عروض الشهر', html: '<p>…</p>', purpose: 'marketing', asmGroupId: 4242 })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expectThat(ConsentError.isInstance(smsRefusal), 'the marketing SMS was not refused with a ConsentError');
    expectThat(ConsentError.isInstance(mailRefusal), 'the marketing email was not refused with a ConsentError');
    const twilioAfter = h.sandboxes.twilio.requestCount;
    const sendgridAfter = h.sandboxes.sendgrid.requestCount;
    expectThat(twilioAfter === twilioBefore && sendgridAfter === sendgridBefore, 'a refused send reached a vendor');
    report.ok(`SMS refused: ${smsRefusal.name} (${smsRefusal.reason}); Twilio requests ${twilioBefore} → ${twilioAfter}`);
    report.ok(
      `email refused: ${mailRefusal.name} (${mailRefusal.reason}); SendGrid requests ${sendgridBefore} → ${sendgridAfter}`,
    );

    report.step('she opts in through the patient portal; the same marketing SMS now goes out');
    h.crm.marketingConsent.add(`sms:${mobile}`);
    const allowed = await h.twilio.actions.sendSms({
      to: mobile,
      body: 'خصم ٣٠٪ على تنظيف الأسنان هذا الشهر',
      purpose: 'marketing',
      contactId,
    });
    h.crm.marketingConsent.delete(`sms:${mobile}`);
    expectThat(h.sandboxes.twilio.requestCount === twilioAfter + 1, 'the consented send should be one request');
    report.ok(`with consent: Twilio ${allowed.id} ${allowed.status} (1 request)`);

    return {
      figures: [
        'SIU^S12 over MLLP: ACK AA',
        `SMS (${language}) ${segments.encoding}: ${segments.segments} segments (English: ${english.segments})`,
        `email (${mail.languages[0]?.language}) accepted, dir=rtl`,
        `marketing w/o consent: ConsentError, ${twilioAfter - twilioBefore + sendgridAfter - sendgridBefore} requests`,
      ],
      facts: {
        ack: 'AA',
        appointmentId: appointment.id ?? '',
        smsLanguage: language,
        smsEncoding: segments.encoding,
        smsSegments: segments.segments,
        smsTo: sms.to,
        emailLanguage: mail.languages[0]?.language ?? '',
        emailRtl: /dir="rtl"/.test(html),
        marketingSmsRefused: ConsentError.isInstance(smsRefusal),
        marketingEmailRefused: ConsentError.isInstance(mailRefusal),
        requestsDuringRefusal: twilioAfter - twilioBefore + sendgridAfter - sendgridBefore,
        consentedMarketingSent: allowed.status !== 'failed',
      },
    };
  },
};
