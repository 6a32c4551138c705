import { OUTSIDE_WINDOW } from '@hmi/connector-whatsapp';
import { ConsentError, ValidationError } from '@hmi/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectorFor, fakeTime, HOUR, inboundStore, PATIENT, rejection, startFakeWhatsApp, T0 } from './harness.js';

const fake = startFakeWhatsApp();
beforeAll(() => {});
afterEach(() => {
  fake.calls.length = 0;
  fake.state.requests.length = 0;
  fake.state.sent.length = 0;
});
afterAll(() => fake.close());

const reminder = {
  to: PATIENT,
  template: 'appointment_reminder',
  language: 'ar',
  category: 'UTILITY' as const,
  components: [
    {
      type: 'body' as const,
      parameters: [
        { type: 'text' as const, text: 'فاطمة' },
        { type: 'text' as const, text: 'عيادة القلب' },
        { type: 'text' as const, text: 'الأحد ٧ ديسمبر ١٠:٣٠' },
      ],
    },
  ],
};

describe('sendTemplate', () => {
  it('sends a UTILITY reminder as transactional, without a consent checker, in Meta’s body shape', async () => {
    const wa = connectorFor(fake);
    const sent = await wa.actions.sendTemplate(reminder);
    expect(sent).toMatchObject({
      channel: 'whatsapp',
      direction: 'outbound',
      purpose: 'transactional',
      to: PATIENT,
      category: 'utility',
    });
    expect(sent.id).toMatch(/^wamid\./);
    expect(fake.state.requests).toHaveLength(1);
    expect(fake.state.requests[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '966551234567',
      type: 'template',
      template: { name: 'appointment_reminder', language: { code: 'ar' }, components: reminder.components },
    });
  });

  it('refuses a MARKETING template without consent, with zero requests', async () => {
    const check = vi.fn(() => false);
    for (const config of [{}, { consent: { check } }]) {
      const wa = connectorFor(fake, config);
      const error = await rejection(
        wa.actions.sendTemplate({ to: PATIENT, template: 'heart_checkup_campaign', language: 'ar', category: 'MARKETING' }),
      );
      expect(ConsentError.isInstance(error)).toBe(true);
    }
    expect(check).toHaveBeenCalledWith(
      expect.objectContaining({ recipient: PATIENT, channel: 'whatsapp', purpose: 'marketing' }),
    );
    expect(fake.calls).toHaveLength(0);
  });

  it('treats purpose marketing, or a template of unknown category, as marketing (fail closed)', async () => {
    const wa = connectorFor(fake);
    for (const input of [
      { to: PATIENT, template: 'heart_checkup_campaign', language: 'ar', purpose: 'marketing' as const },
      { to: PATIENT, template: 'heart_checkup_campaign', language: 'ar' },
      { to: PATIENT, template: 'results_ready', language: 'ar', category: 'UTILITY' as const, purpose: 'marketing' as const },
    ]) {
      expect(ConsentError.isInstance(await rejection(wa.actions.sendTemplate(input)))).toBe(true);
    }
    expect(fake.calls).toHaveLength(0);
    const error = await rejection(
      wa.actions.sendTemplate({ to: PATIENT, template: 'x', language: 'ar', category: 'MARKETING', purpose: 'transactional' }),
    );
    expect(ValidationError.isInstance(error)).toBe(true);
  });

  it('sends a MARKETING template when the host consents, billed as marketing', async () => {
    const wa = connectorFor(fake, { consent: { check: () => true } });
    const sent = await wa.actions.sendTemplate({
      to: PATIENT,
      template: 'heart_checkup_campaign',
      language: 'ar',
      category: 'MARKETING',
    });
    expect(sent).toMatchObject({ purpose: 'marketing', category: 'marketing' });
    expect(fake.state.sent).toHaveLength(1);
  });

  it('takes the template as listTemplates gives it, Meta’s { code } language, BODY in capitals, and a Date clock', async () => {
    const wa = connectorFor(fake, { now: () => new Date(T0) });
    const sent = await wa.actions.sendTemplate({
      to: PATIENT,
      template: { name: 'appointment_reminder', language: 'ar', category: 'UTILITY' },
      components: [{ type: 'BODY', parameters: [{ type: 'text', text: 'فاطمة' }] }],
    } as never);
    expect(sent).toMatchObject({ category: 'utility', purpose: 'transactional', createdAt: new Date(T0).toISOString() });
    expect(fake.state.requests[0]!.body).toMatchObject({
      template: { name: 'appointment_reminder', language: { code: 'ar' }, components: [{ type: 'body' }] },
    });
    const marketing = await rejection(
      wa.actions.sendTemplate({
        to: PATIENT,
        template: { name: 'heart_checkup_campaign', category: 'MARKETING' },
        language: { code: 'ar' },
      } as never),
    );
    expect(ConsentError.isInstance(marketing)).toBe(true);
    expect(fake.state.requests).toHaveLength(1);
  });

  it('normalises local Gulf numbers to E.164 and refuses a non-number before any request', async () => {
    const wa = connectorFor(fake, { defaultRegion: 'SA' });
    const sent = await wa.actions.sendTemplate({ ...reminder, to: '٠٥٥١٢٣٤٥٦٧' });
    expect(sent.to).toBe(PATIENT);
    expect(fake.state.sent[0]!.to).toBe('966551234567');
    fake.calls.length = 0;
    const error = await rejection(wa.actions.sendTemplate({ ...reminder, to: 'not a number' }));
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(fake.calls).toHaveLength(0);
  });
});

describe('sendText and the 24-hour window', () => {
  it('refuses a free-form text 25 hours after the last inbound message, with zero requests', async () => {
    const time = fakeTime(T0 + 25 * HOUR);
    const store = inboundStore();
    store.map.set(PATIENT, new Date(T0));
    for (const wa of [connectorFor(fake, {}, time), connectorFor(fake, { lastInbound: store.lastInbound }, time)]) {
      const error = await rejection(wa.actions.sendText({ to: PATIENT, text: 'هل تحتاج مساعدة؟', lastInboundAt: new Date(T0) }));
      expect(ValidationError.isInstance(error)).toBe(true);
      expect((error as ValidationError).code).toBe(OUTSIDE_WINDOW);
      expect((error as Error).message).toMatch(/template/);
    }
    expect(fake.calls).toHaveLength(0);
  });

  it('fails closed when neither the call nor the host knows the last inbound message, or the lookup throws', async () => {
    const cases = [
      connectorFor(fake),
      connectorFor(fake, { lastInbound: async () => undefined }),
      connectorFor(fake, {
        lastInbound: async () => {
          throw new Error('store down');
        },
      }),
    ];
    for (const wa of cases) {
      const error = await rejection(wa.actions.sendText({ to: PATIENT, text: 'مرحبا' }));
      expect((error as ValidationError).code).toBe(OUTSIDE_WINDOW);
    }
    expect(fake.calls).toHaveLength(0);
  });

  it('sends inside the window (23 h), from the call or from the host’s store, billed as service', async () => {
    const time = fakeTime(T0 + 23 * HOUR);
    const store = inboundStore();
    store.map.set(PATIENT, new Date(T0));
    const viaCall = await connectorFor(fake, {}, time).actions.sendText({
      to: PATIENT,
      text: 'موعدك مؤكد',
      lastInboundAt: new Date(T0).toISOString(),
    });
    const viaStore = await connectorFor(fake, { lastInbound: store.lastInbound }, time).actions.sendText({
      to: PATIENT,
      text: 'موعدك مؤكد',
    });
    for (const sent of [viaCall, viaStore])
      expect(sent).toMatchObject({ category: 'service', body: 'موعدك مؤكد', status: 'accepted' });
    expect(fake.state.requests[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '966551234567',
      type: 'text',
      text: { preview_url: false, body: 'موعدك مؤكد' },
    });
  });

  it('counts a last-inbound time in the future as unknown', async () => {
    const wa = connectorFor(fake);
    const error = await rejection(wa.actions.sendText({ to: PATIENT, text: 'x', lastInboundAt: new Date(T0 + HOUR) }));
    expect((error as ValidationError).code).toBe(OUTSIDE_WINDOW);
  });
});

describe('estimateSend and markRead', () => {
  it('shows the category and whether it is billed before sending, with no request', async () => {
    const store = inboundStore();
    const time = fakeTime(T0 + 2 * HOUR);
    const wa = connectorFor(
      fake,
      { lastInbound: store.lastInbound, rates: { marketing: { amount: 0.0455, currency: 'USD' } } },
      time,
    );
    expect(await wa.actions.estimateSend({ to: PATIENT, category: 'MARKETING' })).toEqual({
      category: 'marketing',
      windowOpen: false,
      billable: true,
      allowed: true,
      estimate: { amount: 0.0455, currency: 'USD' },
    });
    expect(await wa.actions.estimateSend({ to: PATIENT })).toMatchObject({
      category: 'service',
      allowed: false,
      billable: false,
    });
    expect(await wa.actions.estimateSend({ to: PATIENT, category: 'UTILITY' })).toMatchObject({
      category: 'utility',
      billable: true,
    });
    store.map.set(PATIENT, new Date(T0));
    expect(await wa.actions.estimateSend({ to: PATIENT, category: 'UTILITY' })).toMatchObject({
      windowOpen: true,
      billable: false,
    });
    expect(await wa.actions.estimateSend({ to: PATIENT, category: 'AUTHENTICATION' })).toMatchObject({
      category: 'authentication',
      billable: true,
    });
    expect(fake.calls).toHaveLength(0);
  });

  it('marks an inbound message read', async () => {
    const wa = connectorFor(fake);
    expect(await wa.actions.markRead({ messageId: 'wamid.HBgMOTY2NTUxMjM0NTY3' })).toEqual({ success: true });
    expect(fake.state.requests[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.HBgMOTY2NTUxMjM0NTY3',
    });
  });
});
