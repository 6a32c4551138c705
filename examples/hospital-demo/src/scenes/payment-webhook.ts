// Scene 3: a patient pays an invoice. The CRM creates the PaymentIntent at Stripe (the sandbox);
// Stripe then calls the CRM's webhook endpoint — @hmi/flow's createWebhookHandler served on
// loopback with toNodeHandler — with a signed `payment_intent.succeeded`. The handler verifies the
// signature over the raw bytes, stores the event in SQLite before answering, and processes it into
// a canonical Payment. A redelivery is a duplicate; a bad signature gets 401.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromMinorUnits, hmac, type Payment } from '@hmi/core';
import { stripeAmountFromDecimal, type StripeWebhookData } from '@hmi/connector-stripe';
import { eventFixture } from '@hmi/connector-stripe/msw';
import { createWebhookHandler, toNodeHandler } from '@hmi/flow';
import { PATIENT } from '../hl7-messages.js';
import { DEMO_SECRETS } from '../hospital.js';
import { expectThat, type Scene, waitFor } from './scene.js';

/** Signs a payload the way Stripe does: `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<payload>">`. */
export function stripeSignatureHeader(payload: string, secret: string, at = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${hmac('sha256', secret, `${t}.${payload}`)}`;
}

export const paymentScene: Scene = {
  id: 'payment',
  title: 'A payment: a signed Stripe webhook becomes a Payment; a bad signature is refused',
  label: 'Stripe webhook → Payment',
  async run(h, report) {
    const contact = h.crm.contacts.get(PATIENT.mrn);
    const contactId = contact?.source?.id ?? PATIENT.mrn;
    const payments: Payment[] = [];
    let processed = 0;

    const handler = createWebhookHandler({
      connectors: { stripe: h.stripe },
      store: h.store,
      telemetry: h.telemetry,
      processing: { pollInterval: '50ms' },
      async onEvent(event) {
        processed++;
        const data = event.data as StripeWebhookData;
        if (data.kind === 'payment') {
          payments.push(data.payment);
          h.crm.payments.push(data.payment);
        }
      },
    });
    const server = createServer(toNodeHandler(handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;

    try {
      report.step('CRM creates a PaymentIntent for invoice INV-2025-0042: 150.50 SAR');
      const intent = await h.stripe.actions.createPaymentIntent(
        {
          amount: stripeAmountFromDecimal('150.50', 'SAR'),
          currency: 'sar',
          payment_method_types: ['card'],
          metadata: { hmi_contact_id: contactId, hmi_invoice_id: 'INV-2025-0042' },
        },
        { idempotencyKey: 'invoice-INV-2025-0042-payment' },
      );
      const idempotencyKey = h.fakes.stripe.requests.at(-1)?.headers.get('idempotency-key');
      report.ok(`Stripe ${intent.id} ${intent.status}, amount ${intent.amount} (halalas), Idempotency-Key ${idempotencyKey}`);

      // The patient pays in the app; Stripe tells the CRM. The event is the sandbox's own object.
      const paid = { ...h.fakes.stripe.paymentIntents.get(intent.id), status: 'succeeded', amount_received: intent.amount };
      const event = eventFixture('payment_intent.succeeded', paid, { created: Math.floor(Date.now() / 1000) });
      const payload = JSON.stringify(event);
      const post = (signature: string) =>
        fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': signature },
          body: payload,
        });

      report.step(`Stripe POSTs ${event.type} ${event.id}, signed with the endpoint secret → ${endpoint}`);
      const accepted = await post(stripeSignatureHeader(payload, DEMO_SECRETS.stripeWebhookSecret));
      const acceptedBody = (await accepted.json()) as { received?: number; duplicates?: number };
      expectThat(accepted.status === 200, `the signed webhook got ${accepted.status}, not 200`);
      report.ok(`200 ${JSON.stringify(acceptedBody)}: verified on the raw bytes, stored in SQLite before the answer`);
      await waitFor(() => payments.length === 1, 'the webhook event to be processed');
      const payment = payments[0]!;
      expectThat(payment.status === 'succeeded' && payment.amountMinor === 15050 && payment.currency === 'SAR', 'wrong Payment');
      expectThat(payment.contactId === contactId && payment.invoiceId === 'INV-2025-0042', 'the Payment lost its CRM links');
      report.ok(
        `canonical Payment ${payment.id}: ${payment.status}, ${fromMinorUnits(payment.amountMinor, payment.currency)} ${payment.currency}, contact ${payment.contactId}, invoice ${payment.invoiceId}`,
      );

      report.step('Stripe redelivers the same event (it retries until it sees a 2xx)');
      const redelivered = await post(stripeSignatureHeader(payload, DEMO_SECRETS.stripeWebhookSecret));
      const redeliveredBody = (await redelivered.json()) as { duplicates?: number };
      expectThat(
        redelivered.status === 200 && redeliveredBody.duplicates === 1,
        'the redelivery was not recognised as a duplicate',
      );
      report.ok(`200, duplicates: ${redeliveredBody.duplicates} — deduplicated by event id, processed once`);

      report.step('a forged request: same body, signed with the wrong secret');
      const forged = await post(stripeSignatureHeader(payload, 'whsec_not_the_endpoint_secret_000'));
      const forgedBody = await forged.text();
      expectThat(forged.status === 401, `the forged webhook got ${forged.status}, not 401`);
      report.ok(`401 ${forgedBody} (no detail given to the caller)`);

      // Let the worker settle, then prove the duplicate and the forgery were never processed.
      await new Promise((resolve) => setTimeout(resolve, 150));
      expectThat(processed === 1, `the event was processed ${processed} times`);
      const audit = await h.store.queryAudit({ integrationPoint: 'webhook:stripe', operation: 'webhook.received' });
      const outcomes = audit.map((a) => a.outcome).join(', ');
      report.ok(`audit trail (ids and outcomes, no payloads): ${outcomes}`);

      return {
        figures: [
          `${event.type}: 200, Payment ${fromMinorUnits(payment.amountMinor, payment.currency)} ${payment.currency} ${payment.status}`,
          'redelivery: duplicate, processed once',
          'bad signature: 401',
        ],
        facts: {
          paymentStatus: payment.status,
          amountMinor: payment.amountMinor,
          currency: payment.currency,
          contactId: payment.contactId ?? '',
          signedStatus: accepted.status,
          duplicateStatus: redelivered.status,
          duplicates: redeliveredBody.duplicates ?? 0,
          forgedStatus: forged.status,
          processed,
        },
      };
    } finally {
      await handler.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  },
};
