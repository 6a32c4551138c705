// Runnable against the package's own fake Odoo (MSW): no Odoo server needed.
//   npx tsx --conditions=@hmi/source packages/connector-odoo/examples/quickstart.ts
import { createOdooConnector, type OdooCheckpoint } from '@hmi/connector-odoo';
import { createFakeOdoo, seedOdoo } from '@hmi/connector-odoo/msw';
import { setupServer } from 'msw/node';

const baseUrl = 'https://erp.hospital.example';
const fake = createFakeOdoo({ baseUrl, apiKey: 'demo_api_key_0001', database: 'hospital' });
const { vat15 } = seedOdoo(fake.state);
const server = setupServer(...fake.handlers);
server.listen({ onUnhandledRequest: 'error' });

// Odoo 19: protocol 'json2'. Odoo 16–18: protocol 'jsonrpc' and a login.
const odoo = createOdooConnector({
  baseUrl,
  apiKey: 'demo_api_key_0001',
  database: 'hospital',
  protocol: 'json2',
  lang: 'ar_001',
});

// A patient from the CRM becomes a partner (twice is still one partner).
const contact = {
  source: { system: 'crm', id: 'c-17' },
  names: [{ text: 'خالد محمد العتيبي', language: 'ar' }],
  phones: [{ value: '+966555123456' }],
  languages: ['ar'],
};
const partner = await odoo.actions.upsertPartner({ contact });
await odoo.actions.upsertPartner({ contact });

// A draft invoice in halalas (350.50 SAR + 15% VAT), idempotent by ref; then post it.
const { invoice } = await odoo.actions.createInvoice({
  partner: { system: 'crm', id: 'c-17' },
  currency: 'SAR',
  ref: 'VISIT-2025-0042',
  lines: [{ description: 'استشارة طبية', unitAmountMinor: 35_050, taxIds: [vat15] }],
});
await odoo.actions.postInvoice({ id: invoice.id! });

// The patient paid by card through Stripe: register it on the invoice, once.
const paid = await odoo.actions.registerPayment({
  invoiceId: invoice.id!,
  payment: {
    id: 'pi_3QxKwL2eZvKYlo2C1',
    source: { system: 'stripe', id: 'pi_3QxKwL2eZvKYlo2C1' },
    status: 'succeeded',
    amountMinor: invoice.totalMinor,
    currency: 'SAR',
  },
});
console.log(partner.partnerId, paid.invoice.number, paid.invoice.status, paid.invoice.amountPaidMinor); // … 'paid' 40308

// Invoices changed since the last run: save each page's checkpoint, pass it back next time.
let checkpoint: OdooCheckpoint | undefined; // load it from your state store
for await (const page of odoo.streams.invoices.read({ checkpoint })) {
  for (const record of page.records) console.log(record.number, record.status, record.totalMinor, record.currency);
  checkpoint = page.checkpoint;
}
server.close();
