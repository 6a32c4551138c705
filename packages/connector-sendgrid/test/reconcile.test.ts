import { HMI_CUSTOM_ARGS, reconcileSendGridOutbox } from '@hmi/connector-sendgrid';
import { createSendGridWebhookSigner } from '@hmi/connector-sendgrid/msw';
import { describe, expect, it } from 'vitest';
import { createSendGridConnector } from '../src/index.js';
import { fakeSendGrid, PATIENT_EMAIL, useMsw } from './harness.js';

// Issue 11 #11: a SendGrid send has no idempotency key; an in-doubt outbox item is reconciled by
// the outbox id the send carried in custom_args, as the Event Webhook reports it back.
const server = useMsw();

describe('outboxId → custom_args.hmi_outbox_id → events → reconcileSendGridOutbox', () => {
  it('the send carries the outbox id in every personalization', async () => {
    const { mock, sendgrid } = fakeSendGrid(server);
    await sendgrid.actions.sendEmail({
      to: PATIENT_EMAIL,
      subject: 'تذكير',
      text: 'موعدك غداً',
      purpose: 'transactional',
      outboxId: 'outbox:reminder:42',
    });
    expect(mock.sent[0]!.body.personalizations[0]!.custom_args).toMatchObject({
      [HMI_CUSTOM_ARGS.outboxId]: 'outbox:reminder:42',
    });
  });

  it('an event naming the outbox id says sent; none says unknown, never not_sent', async () => {
    const signer = createSendGridWebhookSigner();
    const sendgrid = createSendGridConnector({
      apiKey: 'SG.x.y',
      from: 'noreply@hospital.example',
      eventWebhookPublicKey: signer.publicKey,
    });
    const raw = [
      { email: PATIENT_EMAIL, event: 'processed', timestamp: 1_767_225_600, sg_event_id: 'ev-1', hmi_outbox_id: 'outbox:42' },
      { email: PATIENT_EMAIL, event: 'dropped', timestamp: 1_767_225_601, sg_event_id: 'ev-2', hmi_outbox_id: 'outbox:43' },
    ];
    const events = await sendgrid.webhooks.events.verify(signer.request(raw));
    expect(events.map((e) => (e.data as { outboxId?: string }).outboxId)).toEqual(['outbox:42', 'outbox:43']);
    expect(reconcileSendGridOutbox('outbox:42', events)).toBe('sent');
    expect(reconcileSendGridOutbox('outbox:43', events)).toBe('sent');
    expect(reconcileSendGridOutbox('outbox:44', events)).toBe('unknown');
    expect(reconcileSendGridOutbox('outbox:42', [])).toBe('unknown');
  });
});
