import { inboundTextPayload, signedWhatsAppWebhook } from '@hmi/connector-whatsapp/msw';
import { createTelemetry, isHmiError } from '@hmi/core';
import { expectNoLeaks } from '@hmi/testing';
import { afterAll, expect, it } from 'vitest';
import {
  ACCESS_TOKEN,
  APP_SECRET,
  connectorFor,
  fakeTime,
  HOUR,
  rejection,
  startFakeWhatsApp,
  T0,
  VERIFY_TOKEN,
} from './harness.js';

const fake = startFakeWhatsApp();
afterAll(() => fake.close());

// PHI canaries: a patient's name, number, and what she wrote.
const NAME = 'نورة سعد القحطاني';
const PHONE = '+971501234567';
const WORDS = 'عندي نزيف بعد العملية';

it('no secret or PHI canary reaches telemetry or any error, on success, refusal, vendor error or webhook', async () => {
  const telemetry = createTelemetry();
  const events: unknown[] = [];
  telemetry.onAny((name, payload) => void events.push({ name, payload }));
  const time = fakeTime(T0 + 30 * HOUR);
  const wa = connectorFor(fake, {}, time, telemetry);
  const errors: unknown[] = [];
  const keep = (error: unknown) => {
    errors.push(error, (error as Error).message, (error as Error).stack, isHmiError(error) ? JSON.stringify(error.toJSON()) : '');
  };
  const body = [{ type: 'body' as const, parameters: [{ type: 'text' as const, text: NAME }] }];

  await wa.actions.sendTemplate({
    to: PHONE,
    template: 'appointment_reminder',
    language: 'ar',
    category: 'UTILITY',
    components: body,
  });
  keep(
    await rejection(
      wa.actions.sendTemplate({
        to: PHONE,
        template: 'heart_checkup_campaign',
        language: 'ar',
        category: 'MARKETING',
        components: body,
      }),
    ),
  );
  keep(await rejection(wa.actions.sendText({ to: PHONE, text: WORDS, lastInboundAt: new Date(T0) })));
  fake.state.failNext({ code: 131026 });
  keep(await rejection(wa.actions.sendText({ to: PHONE, text: `${NAME}: ${WORDS}`, lastInboundAt: new Date(T0 + 29 * HOUR) })));
  fake.state.failNext({ code: 132000 });
  keep(
    await rejection(
      wa.actions.sendTemplate({
        to: PHONE,
        template: 'appointment_reminder',
        language: 'ar',
        category: 'UTILITY',
        components: body,
      }),
    ),
  );
  keep(await rejection(wa.actions.sendText({ to: NAME, text: WORDS, lastInboundAt: new Date(T0 + 29 * HOUR) })));

  const inbound = signedWhatsAppWebhook(
    'https://crm.hospital.sa/wa',
    inboundTextPayload({ from: PHONE, text: WORDS, name: NAME }),
    APP_SECRET,
  );
  const mapped = await wa.webhooks.events.verify(inbound);
  expect(mapped[0]!.data).toMatchObject({ body: WORDS });
  const forged = signedWhatsAppWebhook(
    'https://crm.hospital.sa/wa',
    inboundTextPayload({ from: PHONE, text: WORDS, name: NAME }),
    'another-secret',
  );
  keep(await rejection(wa.webhooks.events.verify(forged)));

  expect(errors.filter((e) => typeof e === 'object').length).toBe(6);
  expect(events.length).toBeGreaterThan(0);
  expectNoLeaks([events, errors], [ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN, NAME, PHONE, PHONE.slice(1), WORDS]);
});
