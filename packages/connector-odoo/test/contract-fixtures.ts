// The connector contract's fixtures, shared by the JSON-2 and the JSON-RPC contract files (the
// contract owns one MSW server per file, so each protocol gets its own file).
import type { ConnectorContractFixtures } from '@hmi/testing';
import type { odooConnector } from '../src/index.js';
import { createFakeOdoo, seedOdoo } from '../src/msw/index.js';

export const contractBaseUrl = 'https://erp.hospital.test';
// Canaries: the API key, and a patient's Arabic name and mobile number sent with upsertPartner.
const apiKey = 'odoo_live_CANARY_4c1e9b27d3';
const name = 'ريم سعود القحطاني';
const mobile = '+966555987654';

/** Contract fixtures for `protocol`, against a seeded fake Odoo with a posted invoice. */
export function contractFixtures(protocol: 'json2' | 'jsonrpc'): ConnectorContractFixtures<typeof odooConnector> {
  const fake = createFakeOdoo({
    baseUrl: contractBaseUrl,
    apiKey,
    database: 'hospital',
    login: 'bot@hospital.example',
    now: () => new Date('2025-05-01T10:00:00Z'),
  });
  const seeded = seedOdoo(fake.state);
  // A posted SAR invoice of 115.00 for registerPayment and getInvoice.
  const partner = fake.state.orm.table('res.partner').get(seeded.patient)!;
  const invoice = fake.state.insert('account.move', {
    name: 'INV/2025/00001',
    move_type: 'out_invoice',
    state: 'posted',
    payment_state: 'not_paid',
    partner_id: [partner.id, partner.name],
    currency_id: [seeded.currencies.SAR, 'SAR'],
    amount_untaxed: 100,
    amount_tax: 15,
    amount_total: 115,
    amount_residual: 115,
    invoice_date: '2025-05-01',
    invoice_date_due: false,
    ref: 'VISIT-1',
    invoice_line_ids: [],
  });
  const base = { apiKey, database: 'hospital', login: 'bot@hospital.example', protocol } as const;
  const contact = { source: { system: 'crm', id: 'c-90' }, names: [{ text: name }], phones: [{ value: mobile }] };
  const handlers = fake.handlers;
  return {
    name: `connector contract: odoo over ${protocol}`,
    baseUrl: contractBaseUrl,
    config: (baseUrl) => ({ ...base, baseUrl }),
    invalidConfigs: [
      { name: 'apiKey missing', config: (baseUrl) => ({ ...base, apiKey: undefined, baseUrl }), field: 'apiKey' },
      { name: 'protocol unknown', config: (baseUrl) => ({ ...base, protocol: 'xmlrpc', baseUrl }), field: 'protocol' },
      { name: 'baseUrl not a URL', config: () => ({ ...base, baseUrl: 'erp' }), field: 'baseUrl' },
      {
        name: 'jsonrpc without database',
        config: (baseUrl) => ({ ...base, protocol: 'jsonrpc', database: undefined, baseUrl }),
        field: 'database',
      },
    ],
    canaries: { secret: apiKey, phi: [name, mobile] },
    // Odoo has no idempotency keys: every request of one call carries the call id instead.
    idempotencyHeader: 'X-Hmi-Call-Id',
    actions: {
      upsertPartner: {
        input: { contact },
        invalidInputs: [{}, { contact: { names: [{ text: name }] } }, { contact, vat: '123', countryCode: 'SA' }],
        handlers,
      },
      createInvoice: {
        input: {
          partner: seeded.patient,
          currency: 'SAR',
          ref: `VISIT-${protocol}`,
          lines: [{ description: name, unitAmountMinor: 15_050, taxIds: [seeded.vat15] }],
        },
        invalidInputs: [
          {},
          { partner: seeded.patient, currency: 'SAR', ref: 'x', lines: [] },
          { partner: seeded.patient, currency: 'SAR', ref: 'x', lines: [{ description: 'x', unitAmountMinor: 1.5 }] },
        ],
        handlers,
        expectOutput: (output) => {
          const { invoice } = output as { invoice: { totalMinor: number } };
          if (invoice.totalMinor !== 17_308) throw new Error(`expected 173.08 SAR, got ${invoice.totalMinor}`);
        },
      },
      postInvoice: { input: { id: invoice.id }, invalidInputs: [{}, { id: -1 }, { id: 'abc' }], handlers },
      getInvoice: { input: { id: invoice.id }, invalidInputs: [{}, { id: 0 }, { id: '1; drop' }], handlers },
      registerPayment: {
        input: {
          invoiceId: invoice.id,
          payment: {
            id: 'pi_1',
            source: { system: 'stripe', id: 'pi_1' },
            status: 'succeeded',
            amountMinor: 1_000,
            currency: 'SAR',
          },
        },
        invalidInputs: [{}, { invoiceId: invoice.id, payment: { id: 'pi_1', status: 'paid', amountMinor: 1, currency: 'SAR' } }],
        handlers,
      },
    },
  };
}
