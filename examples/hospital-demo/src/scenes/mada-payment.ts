// Scene: a patient in Riyadh pays with mada through Moyasar, alongside the Stripe payment. Self-
// contained: the scene starts its own Moyasar sandbox (the connector's `./msw` fake on loopback),
// its own connector and its own webhook endpoint, and leaves the canonical Payment in the CRM next
// to Stripe's. The create meets a 500 *after* Moyasar made the payment: the retry carries the same
// `given_id` and one payment exists. Moyasar's webhook carries its secret in the body; a forged one
// is refused with 401, and the accepted one is trusted only after the payment is re-read.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromMinorUnits, type Payment } from '@hmi/core';
import { createMoyasarConnector, type MoyasarWebhookData } from '@hmi/connector-moyasar';
import { createFakeMoyasarApi, moyasarWebhookRequest } from '@hmi/connector-moyasar/msw';
import { createWebhookHandler, toNodeHandler } from '@hmi/flow';
import { PATIENT } from '../hl7-messages.js';
import { startHttpSandbox } from '../sandbox/http-sandbox.js';
import { expectThat, type Scene, waitFor } from './scene.js';

/** The Moyasar sandbox's made-up credentials (registered with the connector's redactor). */
export const MOYASAR_DEMO_SECRETS = {
  secretKey: 'sk_test_demoMoyasar5c1e9a7b',
  webhookSecret: 'whsec_demo_moyasar_shared_3f8a1c',
} as const;

export const madaPaymentScene: Scene = {
  id: 'mada',
  title: 'A mada payment through Moyasar: one given_id through a 500, a webhook verified and re-read',
  label: 'Moyasar mada → Payment',
  async run(h, report) {
    const contact = h.crm.contacts.get(PATIENT.mrn);
    const contactId = contact?.source?.id ?? PATIENT.mrn;
    const sandbox = await startHttpSandbox('Moyasar');
    const fake = createFakeMoyasarApi({ baseUrl: sandbox.url, secretKey: MOYASAR_DEMO_SECRETS.secretKey });
    sandbox.use(fake.handlers);
    // `allowInsecureHttp` only because the sandbox is a plain-HTTP loopback server.
    const moyasar = createMoyasarConnector(
      { ...MOYASAR_DEMO_SECRETS, baseUrl: sandbox.url, allowInsecureHttp: true, descriptionVocabulary: ['diabetes', 'السكري'] },
      { telemetry: h.telemetry },
    );
    const payments: Payment[] = [];
    const handler = createWebhookHandler({
      connectors: { moyasar },
      store: h.store,
      telemetry: h.telemetry,
      processing: { pollInterval: '50ms' },
      async onEvent(event) {
        const data = event.data as MoyasarWebhookData;
        if (data.kind === 'payment' && data.trusted) {
          payments.push(data.payment);
          h.crm.payments.push(data.payment);
        }
      },
    });
    const server = createServer(toNodeHandler(handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/moyasar`;

    try {
      report.step('a description naming the condition is refused before anything is sent');
      const refused = await moyasar.actions
        .createPayment({
          amountMinor: 15050,
          source: { type: 'stcpay', mobile: '+966555123456' },
          description: 'متابعة السكري E11.9',
        })
        .then(() => false)
        .catch(() => true);
      expectThat(refused && fake.state.requests.length === 0, 'a diagnosis reached Moyasar');
      report.ok('ValidationError (diagnosis_in_description), 0 requests');

      report.step('CRM charges the saved mada card for INV-2025-0044: 150.50 SAR; Moyasar answers 500 after charging');
      fake.state.failNext({ status: 500, afterProcessing: true, match: 'POST /v1/payments' });
      const created = await moyasar.actions.createPayment(
        {
          amountMinor: 15050,
          source: { type: 'token', token: 'token_madaDemo00000001', threeDs: false },
          callbackUrl: 'https://crm.hospital.example/payments/return',
          description: 'Outpatient visit APT-7781',
          contactId,
          invoiceId: 'INV-2025-0044',
        },
        { idempotencyKey: 'invoice-INV-2025-0044-payment' },
      );
      const posts = fake.state.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payments');
      const givenIds = new Set(posts.map((r) => (r.body as { given_id: string }).given_id));
      expectThat(posts.length === 2 && givenIds.size === 1 && fake.state.payments.size === 1, 'the retry made a second payment');
      expectThat(
        created.method === 'mada' && created.status === 'succeeded',
        `unexpected payment ${created.method} ${created.status}`,
      );
      report.ok(
        `${posts.length} POSTs, one given_id ${created.id}, ${fake.state.payments.size} payment — read back after Moyasar refused the reused id`,
      );

      const stored = fake.state.payments.get(created.id)!;
      const post = async (secretToken: string) => {
        const request = moyasarWebhookRequest({
          url: endpoint,
          type: 'payment_paid',
          payment: stored,
          secretToken,
          eventId: 'evt-demo-mada-1',
        });
        return fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: await request.text() });
      };

      report.step('Moyasar POSTs payment_paid with its secret_token → the CRM');
      const accepted = await post(MOYASAR_DEMO_SECRETS.webhookSecret);
      expectThat(accepted.status === 200, `the webhook got ${accepted.status}, not 200`);
      await waitFor(() => payments.length === 1, 'the Moyasar event to be processed');
      const payment = payments[0]!;
      expectThat(
        payment.amountMinor === 15050 && payment.method === 'mada' && payment.invoiceId === 'INV-2025-0044',
        'wrong Payment',
      );
      report.ok(
        `200; payment re-read over the API → Payment ${payment.status}, ${fromMinorUnits(payment.amountMinor, payment.currency)} ${payment.currency} by ${payment.method}, fee ${fromMinorUnits(payment.feeMinor ?? 0, payment.currency)}`,
      );

      report.step('a forged delivery: same body, wrong secret_token');
      const forged = await post('whsec_not_the_shared_secret_0000');
      expectThat(forged.status === 401, `the forged webhook got ${forged.status}, not 401`);
      report.ok('401 — compared in constant time, nothing read, nothing stored');

      const stripeAlongside = h.crm.payments.filter((p) => p.source?.system === 'stripe').length;
      report.ok(
        `CRM payments: ${h.crm.payments.length} (${stripeAlongside} via Stripe, ${payments.length} via Moyasar), one canonical shape`,
      );
      return {
        figures: [
          `mada ${fromMinorUnits(payment.amountMinor, payment.currency)} SAR: 1 payment through a 500`,
          'forged webhook: 401',
        ],
        facts: {
          method: payment.method ?? '',
          amountMinor: payment.amountMinor,
          currency: payment.currency,
          createPosts: posts.length,
          givenIds: givenIds.size,
          moyasarPayments: fake.state.payments.size,
          webhookStatus: accepted.status,
          forgedStatus: forged.status,
          diagnosisRefused: refused,
          crmPayments: h.crm.payments.length,
        },
      };
    } finally {
      await handler.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await moyasar.close();
      await sandbox.close();
    }
  },
};
