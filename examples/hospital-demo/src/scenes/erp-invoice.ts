// Scene 5: the ERP. The patient's card payment (the canonical Payment the Stripe webhook produced
// in scene 4) settles the hospital's invoice in Odoo: the patient becomes an Odoo partner, the
// visit a posted SAR invoice, and the Stripe payment a payment registered and reconciled on it —
// each step idempotent, so running them again books nothing twice. Odoo is the connector's own
// fake (JSON-2), served on a loopback sandbox like the other vendors.
import { fromMinorUnits } from '@hmi/core';
import { createOdooConnector } from '@hmi/connector-odoo';
import { createFakeOdoo, seedOdoo } from '@hmi/connector-odoo/msw';
import { PATIENT } from '../hl7-messages.js';
import { startHttpSandbox } from '../sandbox/http-sandbox.js';
import { expectThat, type Scene } from './scene.js';

const ODOO_API_KEY = 'demo_odoo_api_key_0001';

export const erpScene: Scene = {
  id: 'erp',
  title: 'The ERP: a paid Stripe payment becomes a registered payment on a posted Odoo invoice',
  label: 'Stripe Payment → Odoo invoice paid',
  async run(h, report) {
    const payment = h.crm.payments.find((p) => p.status === 'succeeded');
    expectThat(payment, 'no succeeded Payment from the Stripe scene to register');
    const sandbox = await startHttpSandbox('Odoo');
    try {
      const fake = createFakeOdoo({ baseUrl: sandbox.url, apiKey: ODOO_API_KEY, database: 'hospital' });
      seedOdoo(fake.state);
      sandbox.use(fake.handlers);
      // allowInsecureHttp only because the sandbox is plain-HTTP loopback.
      const odoo = createOdooConnector(
        {
          baseUrl: sandbox.url,
          apiKey: ODOO_API_KEY,
          database: 'hospital',
          protocol: 'json2',
          lang: 'ar_001',
          allowInsecureHttp: true,
        },
        { telemetry: h.telemetry },
      );

      const contact = h.crm.contacts.get(PATIENT.mrn);
      const name = `${PATIENT.given.ar} ${PATIENT.family.ar}`;
      report.step(`CRM contact ${PATIENT.mrn} → Odoo partner (idempotent by external id)`);
      const partner = await odoo.actions.upsertPartner({
        contact: {
          source: { system: 'crm', id: PATIENT.mrn },
          names: contact?.names.length ? contact.names : [{ text: name }],
          phones: [{ value: PATIENT.e164Mobile }],
        },
      });
      report.ok(`partner ${partner.partnerId} (${partner.externalId}), created: ${partner.created}`);

      const invoiceRef = payment.invoiceId ?? 'INV-2025-0042';
      report.step(
        `draft invoice ${invoiceRef}: ${fromMinorUnits(payment.amountMinor, payment.currency)} ${payment.currency}, then post it`,
      );
      const { invoice } = await odoo.actions.createInvoice({
        partner: { system: 'crm', id: PATIENT.mrn },
        currency: payment.currency,
        ref: invoiceRef,
        lines: [{ description: 'استشارة طبية', unitAmountMinor: payment.amountMinor }],
      });
      const posted = await odoo.actions.postInvoice({ id: invoice.id! });
      expectThat(
        posted.status === 'open' && posted.amountDueMinor === payment.amountMinor,
        'the posted invoice is not open for the full amount',
      );
      report.ok(`${posted.number} posted, due ${fromMinorUnits(posted.amountDueMinor ?? 0, posted.currency)} ${posted.currency}`);

      report.step(`register Stripe ${payment.id} on it through Odoo's Register Payment wizard — twice`);
      const first = await odoo.actions.registerPayment({ invoiceId: invoice.id!, payment });
      const again = await odoo.actions.registerPayment({ invoiceId: invoice.id!, payment });
      const booked = fake.state.records('account.payment').length;
      expectThat(first.invoice.status === 'paid' && first.invoice.amountDueMinor === 0, 'the invoice is not paid');
      expectThat(!again.created && again.paymentId === first.paymentId && booked === 1, 'the payment was booked twice');
      report.ok(
        `${first.invoice.number} ${first.invoice.status}; payment ${first.paymentId} booked once (second call: created ${again.created})`,
      );

      return {
        figures: [`invoice ${first.invoice.number}: ${first.invoice.status}`, `payments booked: ${booked}`],
        facts: {
          invoiceStatus: first.invoice.status,
          amountPaidMinor: first.invoice.amountPaidMinor ?? 0,
          paymentsBooked: booked,
          partnerCreated: partner.created,
        },
      };
    } finally {
      await sandbox.close();
    }
  },
};
