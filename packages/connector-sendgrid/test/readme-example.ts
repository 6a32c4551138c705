// The README's runnable example: `npx tsx packages/connector-sendgrid/test/readme-example.ts`.
// It runs against the MSW fake, so it needs no SendGrid account; swap the fake for a real key to send.
import { setupServer } from 'msw/node';
import { createSendGridConnector } from '../src/index.js';
import { createSendGridHandlers, createSendGridWebhookSigner } from '../src/msw/index.js';

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const fake = createSendGridHandlers({ apiKey: 'SG.example.key' });
  const signer = createSendGridWebhookSigner();
  const server = setupServer(...fake.handlers);
  server.listen({ onUnhandledRequest: 'error' });
  try {
    const optedIn = new Set(['layla@example.com']);
    const sendgrid = createSendGridConnector({
      apiKey: 'SG.example.key',
      from: { email: 'noreply@hospital.example', name: 'مستشفى المثال' },
      eventWebhookPublicKey: signer.publicKey,
      consent: {
        check: ({ recipient }) => optedIn.has(recipient),
        onEvent: (event) => log(`consent: ${event.type} (${event.source})`),
      },
    });

    // A transactional reminder, in each patient's language.
    const reminder = await sendgrid.actions.sendTemplatedEmail({
      to: [
        { email: 'layla@example.com', languages: ['ar'], contactId: 'c-1' },
        { email: 'john@example.com', languages: ['en'], contactId: 'c-2' },
      ],
      template: {
        subject: { ar: 'تذكير بموعدك', en: 'Appointment reminder' },
        html: { ar: '<p>موعدك مع {{doctor}} الساعة {{time}}</p>', en: '<p>You see {{doctor}} at {{time}}</p>' },
      },
      vars: { doctor: 'Dr. Sara', time: '10:00' },
      purpose: 'transactional',
    });
    log(`reminder: ${reminder.messages.length} messages, ${fake.sent.length} requests`);

    // Marketing: John has not consented, so nothing is sent at all.
    const campaign = await sendgrid.actions
      .sendEmail({
        to: ['layla@example.com', 'john@example.com'],
        subject: 'فحص مجاني للسكري',
        html: '<p>…</p>',
        purpose: 'marketing',
        asmGroupId: 12345,
      })
      .catch((error: Error) => error);
    log(`campaign: ${campaign instanceof Error ? campaign.name : 'sent'}, still ${fake.sent.length} requests`);

    // An unsubscribe arrives on the signed Event Webhook.
    const events = await sendgrid.webhooks.events.verify(
      signer.request([
        {
          email: 'layla@example.com',
          event: 'group_unsubscribe',
          asm_group_id: 12345,
          timestamp: Math.floor(Date.now() / 1000),
          sg_event_id: 'ev-1',
        },
      ]),
    );
    log(`webhook: ${events.map((e) => e.type).join(', ')}`);
  } finally {
    server.close();
  }
}

if (process.argv[1]?.endsWith('readme-example.ts')) await main();
