import { http, HttpResponse } from 'msw';
import { expectNoLeaks } from '@hmi/testing';
import { describe, expect, it } from 'vitest';
import { createSendGridWebhookSigner } from '../src/msw/index.js';
import { createSendGridConnector } from '../src/index.js';
import { API_KEY, fakeSendGrid, PATIENT_EMAIL, PATIENT_NAME, useMsw } from './harness.js';

const server = useMsw();
const SUBJECT = 'نتيجة فحص السكري لفاطمة';
const CANARIES = [
  API_KEY,
  PATIENT_EMAIL,
  PATIENT_NAME,
  'فاطمة',
  SUBJECT,
  'canary-key-9f8e7d',
  'Zarqa',
  'Canarya',
  '966555123456',
  '555123456',
];

describe('canaries: the API key, Arabic content and addresses never reach telemetry or errors', () => {
  it('across success, vendor errors that echo PHI, consent refusals and validation failures', async () => {
    const { sendgrid, seen } = fakeSendGrid(server, { consent: { check: async () => false } });
    const errors: unknown[] = [];
    const input = {
      to: { email: PATIENT_EMAIL, name: PATIENT_NAME, contactId: 'c-1' },
      subject: SUBJECT,
      html: `<p>${PATIENT_NAME}</p>`,
      purpose: 'transactional' as const,
    };
    await sendgrid.actions.sendEmail(input);
    errors.push(await sendgrid.actions.sendEmail({ ...input, purpose: 'marketing', asmGroupId: 1 }).catch((e: unknown) => e));
    errors.push(await sendgrid.actions.sendEmail({ ...input, purpose: 'marketing' }).catch((e: unknown) => e));
    errors.push(await sendgrid.actions.sendEmail({ ...input, to: `${PATIENT_NAME}@` }).catch((e: unknown) => e));
    for (const [status, message] of [
      [400, `The to address ${PATIENT_EMAIL} (${PATIENT_NAME}) is invalid; key ${API_KEY}`],
      // Issue 11 #4: a Latin name and a Gulf number survived the old scrubber.
      [400, 'Recipient Zarqa Canarya +966555123456 is on a suppression list'],
      [403, 'Recipient Zarqa Canarya +966555123456 is on a suppression list'],
      [500, 'Recipient Zarqa Canarya +966555123456 is on a suppression list'],
      [401, `The provided authorization grant ${API_KEY} is invalid`],
      [403, `The from address does not match a verified Sender Identity for ${PATIENT_EMAIL}`],
      [413, SUBJECT],
      [429, PATIENT_EMAIL],
      [500, `${SUBJECT} ${PATIENT_EMAIL}`],
    ] as const) {
      server.use(
        http.post('https://api.sendgrid.com/v3/mail/send', () =>
          HttpResponse.json({ errors: [{ field: 'subject', message }] }, { status }),
        ),
      );
      errors.push(await sendgrid.actions.sendEmail(input).catch((e: unknown) => e));
    }
    expect(errors).toHaveLength(12);
    expect(errors.every((e) => e instanceof Error)).toBe(true);
    expectNoLeaks(errors, CANARIES);
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.some((e) => (e as { name: string }).name === 'request:end')).toBe(true);
    expectNoLeaks(seen, CANARIES);
  });

  it('webhook refusals and a config error do not carry the key or the payload', async () => {
    const signer = createSendGridWebhookSigner();
    const other = createSendGridWebhookSigner();
    const sendgrid = createSendGridConnector({
      apiKey: API_KEY,
      from: 'noreply@hospital.example',
      eventWebhookPublicKey: signer.publicKey,
    });
    const seen: unknown[] = [];
    sendgrid.telemetry.onAny((name, payload) => seen.push({ name, payload }));
    const events = [{ email: PATIENT_EMAIL, event: 'delivered', timestamp: 1, sg_event_id: 'x', note: PATIENT_NAME }];
    const errors = [
      await sendgrid.webhooks.events.verify(other.request(events)).catch((e: unknown) => e),
      await (() => {
        const body = `[{"email":"${PATIENT_EMAIL}","event":"${PATIENT_NAME}"`;
        return sendgrid.webhooks.events
          .verify(new Request('https://crm.example/sg', { method: 'POST', headers: signer.sign(body), body }))
          .catch((e: unknown) => e);
      })(),
      await (() => {
        const body = JSON.stringify([{ email: PATIENT_EMAIL, event: 'delivered', timestamp: PATIENT_NAME, sg_event_id: 'x' }]);
        return sendgrid.webhooks.events
          .verify(new Request('https://crm.example/sg', { method: 'POST', headers: signer.sign(body), body }))
          .catch((e: unknown) => e);
      })(),
      (() => {
        try {
          return createSendGridConnector({ apiKey: API_KEY, from: PATIENT_EMAIL.replace('@', ' ') });
        } catch (e) {
          return e;
        }
      })(),
    ];
    expect(errors.map((e) => (e as { name: string }).name)).toEqual([
      'WebhookVerificationError',
      'ValidationError',
      'ValidationError',
      'ConfigError',
    ]);
    expectNoLeaks(errors, CANARIES);
    expectNoLeaks(seen, CANARIES);
  });
});
