import { ApiError, isHmiError, ValidationError } from '@hmi/core';
import { describe, expect, it } from 'vitest';
import { PROTOCOLS, setup, useServer } from './helpers.js';

const server = useServer();

const contact = {
  source: { system: 'crm', id: 'c-17' },
  names: [{ text: 'خالد محمد العتيبي', language: 'ar' }],
  phones: [{ value: '+966555123456', use: 'mobile' as const }],
  emails: [{ value: 'khalid.o@example.sa' }],
  languages: ['ar'],
  addresses: [{ line: ['طريق الملك فهد'], city: 'الرياض', country: 'SA' }],
};

describe.each(PROTOCOLS)('actions over %s', (protocol) => {
  it('upsertPartner twice for one contact gives one partner, linked by external id and ref', async () => {
    const { fake, odoo } = setup(server, protocol);
    const before = fake.state.records('res.partner').length;
    const first = await odoo.actions.upsertPartner({ contact, vat: '310122393500003', countryCode: 'SA' });
    const second = await odoo.actions.upsertPartner({ contact: { ...contact, emails: [{ value: 'k.otaibi@example.sa' }] } });
    expect(first).toMatchObject({ created: true, externalId: 'hmi.crm_c-17' });
    expect(second).toMatchObject({ created: false, partnerId: first.partnerId });
    expect(fake.state.records('res.partner')).toHaveLength(before + 1);
    const partner = fake.state.orm.table('res.partner').get(first.partnerId)!;
    expect(partner).toMatchObject({
      name: 'خالد محمد العتيبي',
      ref: 'crm:c-17',
      phone: '+966555123456',
      lang: 'ar_001',
      email: 'k.otaibi@example.sa',
    });
    expect(fake.state.records('ir.model.data').filter((r) => r.model === 'res.partner')).toHaveLength(1);
  });

  it('upsertPartner adopts a partner that has the ref but no external id yet (a crash between the two writes)', async () => {
    const { fake, odoo } = setup(server, protocol);
    const orphan = fake.state.insert('res.partner', { name: 'خالد العتيبي', ref: 'crm:c-17', active: false }); // archived, still found
    const result = await odoo.actions.upsertPartner({ contact });
    expect(result).toMatchObject({ partnerId: orphan.id, created: false });
    expect(fake.state.records('res.partner').filter((p) => p.ref === 'crm:c-17')).toHaveLength(1);
  });

  it('upsertPartner whose create response is lost reads back by ref instead of creating again', async () => {
    const { fake, odoo } = setup(server, protocol);
    fake.state.failNext({ httpStatus: 502, model: 'res.partner', method: 'create', afterExecute: true });
    const result = await odoo.actions.upsertPartner({ contact });
    expect(result.created).toBe(true);
    expect(fake.state.records('res.partner').filter((p) => p.ref === 'crm:c-17')).toHaveLength(1);
    expect(fake.state.requests.filter((r) => r.method === 'create' && r.model === 'res.partner')).toHaveLength(1);
  });

  it('refuses a malformed Saudi VAT number before any request', async () => {
    const { fake, odoo } = setup(server, protocol);
    for (const vat of ['31012239350000', '310122393500004', '210122393500003']) {
      const error = await odoo.actions.upsertPartner({ contact, vat, countryCode: 'SA' }).catch((e: unknown) => e);
      expect(ValidationError.isInstance(error)).toBe(true);
    }
    expect(fake.state.requests).toHaveLength(0);
  });

  it('createInvoice: a SAR draft with 15% VAT, exact to the halala, idempotent by ref', async () => {
    const { fake, seeded, odoo } = setup(server, protocol);
    const input = {
      partner: seeded.patient,
      currency: 'SAR',
      ref: 'VISIT-2025-0042',
      lines: [
        { description: 'استشارة طبية', quantity: 1, unitAmountMinor: 35_050, taxIds: [seeded.vat15] },
        { description: 'Lab panel', quantity: 3, unitAmountMinor: 1_999, taxIds: [seeded.vat15] },
      ],
    };
    const first = await odoo.actions.createInvoice(input);
    const second = await odoo.actions.createInvoice(input);
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, invoice: { id: first.invoice.id } });
    expect(fake.state.records('account.move').filter((m) => m.ref === 'VISIT-2025-0042')).toHaveLength(1);
    // 350.50 + 3 × 19.99 = 410.47; VAT per line, rounded half up: 52.575 → 52.58, 8.9955 → 9.00.
    expect(first.invoice).toMatchObject({
      status: 'draft',
      currency: 'SAR',
      subtotalMinor: 41_047,
      taxMinor: 6_158,
      totalMinor: 47_205,
      kind: 'invoice',
      reference: 'VISIT-2025-0042',
    });
    expect(first.invoice.lines.map((l) => [l.unitAmountMinor, l.subtotalMinor, l.taxMinor])).toEqual([
      [35_050, 35_050, 5_258],
      [1_999, 5_997, 900],
    ]);
  });

  it('createInvoice in KWD keeps all three decimals (fils) both ways', async () => {
    const { fake, seeded, odoo } = setup(server, protocol);
    const { invoice } = await odoo.actions.createInvoice({
      partner: seeded.patient,
      currency: 'KWD',
      ref: 'KW-1',
      lines: [{ description: 'MRI', quantity: 3, unitAmountMinor: 1_234 }],
    });
    expect(invoice).toMatchObject({ currency: 'KWD', totalMinor: 3_702, lines: [{ unitAmountMinor: 1_234, totalMinor: 3_702 }] });
    const line = fake.state.records('account.move.line').at(-1)!;
    expect(line.price_unit).toBe(1.234);
  });

  it('createInvoice whose create outcome is unknown returns the invoice that landed, or rethrows for a human', async () => {
    const { fake, seeded, odoo } = setup(server, protocol);
    const input = {
      partner: seeded.patient,
      currency: 'SAR',
      ref: 'VISIT-LOST',
      lines: [{ description: 'x', unitAmountMinor: 100 }],
    };
    fake.state.failNext({ httpStatus: 504, model: 'account.move', method: 'create', afterExecute: true });
    const landed = await odoo.actions.createInvoice(input);
    expect(landed.created).toBe(true);
    expect(fake.state.records('account.move').filter((m) => m.ref === 'VISIT-LOST')).toHaveLength(1);

    fake.state.failNext({ httpStatus: 504, model: 'account.move', method: 'create' });
    const error = await odoo.actions.createInvoice({ ...input, ref: 'VISIT-NEVER' }).catch((e: unknown) => e);
    expect(isHmiError(error) && error.outcomeUnknown).toBe(true);
    expect(
      fake.state.requests.filter(
        (r) => r.method === 'create' && r.params.vals_list && JSON.stringify(r.params).includes('VISIT-NEVER'),
      ),
    ).toHaveLength(1);
    // Called again later, it reconciles first and creates exactly one.
    await odoo.actions.createInvoice({ ...input, ref: 'VISIT-NEVER' });
    expect(fake.state.records('account.move').filter((m) => m.ref === 'VISIT-NEVER')).toHaveLength(1);
  });

  it('registerPayment: a Stripe payment on a posted invoice, once, whatever the retries', async () => {
    const { fake, seeded, odoo } = setup(server, protocol);
    await odoo.actions.upsertPartner({ contact });
    const { invoice } = await odoo.actions.createInvoice({
      partner: { system: 'crm', id: 'c-17' },
      currency: 'SAR',
      ref: 'VISIT-PAY',
      lines: [{ description: 'Consultation', unitAmountMinor: 50_000, taxIds: [seeded.vat15] }],
    });
    const posted = await odoo.actions.postInvoice({ id: invoice.id! });
    expect(posted).toMatchObject({ status: 'open', odooState: 'posted', amountDueMinor: 57_500 });
    const payment = {
      id: 'pi_3QxKwL2eZvKYlo2C1',
      source: { system: 'stripe', id: 'pi_3QxKwL2eZvKYlo2C1' },
      status: 'succeeded' as const,
      amountMinor: 57_500,
      currency: 'SAR',
      createdAt: '2025-05-01T10:00:00Z',
    };
    const first = await odoo.actions.registerPayment({ invoiceId: invoice.id!, payment });
    const again = await odoo.actions.registerPayment({ invoiceId: invoice.id!, payment });
    expect(first).toMatchObject({ created: true, invoice: { status: 'paid', amountDueMinor: 0, amountPaidMinor: 57_500 } });
    expect(again).toMatchObject({ created: false, paymentId: first.paymentId });
    expect(fake.state.records('account.payment')).toHaveLength(1);
    expect(fake.state.records('account.payment')[0]).toMatchObject({ amount: 575, memo: 'hmi:stripe:pi_3QxKwL2eZvKYlo2C1' });

    const mismatch = await odoo.actions
      .registerPayment({
        invoiceId: invoice.id!,
        payment: { ...payment, id: 'pi_other', source: { system: 'stripe', id: 'pi_other' }, currency: 'KWD' },
      })
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(mismatch)).toBe(true);
  });

  it('registerPayment refuses a draft invoice and a payment that did not succeed', async () => {
    const { seeded, odoo } = setup(server, protocol);
    const { invoice } = await odoo.actions.createInvoice({
      partner: seeded.patient,
      currency: 'SAR',
      ref: 'R-1',
      lines: [{ description: 'x', unitAmountMinor: 100 }],
    });
    const payment = {
      id: 'mpy_1',
      source: { system: 'moyasar', id: 'mpy_1' },
      status: 'succeeded' as const,
      amountMinor: 100,
      currency: 'SAR',
    };
    const draft = await odoo.actions.registerPayment({ invoiceId: invoice.id!, payment }).catch((e: unknown) => e);
    expect(ValidationError.isInstance(draft)).toBe(true);
    const failed = await odoo.actions
      .registerPayment({ invoiceId: invoice.id!, payment: { ...payment, status: 'failed' } })
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(failed)).toBe(true);
  });

  it('getInvoice of a missing id is a not_found ApiError', async () => {
    const { odoo } = setup(server, protocol);
    const error = await odoo.actions.getInvoice({ id: 999_999 }).catch((e: unknown) => e);
    expect(ApiError.isInstance(error) && error.code).toBe('not_found');
  });

  it('without rights on ir.model.data, upsertPartner and registerPayment stay single by ref and memo', async () => {
    const { fake, seeded, odoo, events } = setup(server, protocol, {}, { denyModels: ['ir.model.data'] });
    const first = await odoo.actions.upsertPartner({ contact });
    const second = await odoo.actions.upsertPartner({ contact });
    expect(second).toMatchObject({ partnerId: first.partnerId, created: false });
    expect(fake.state.records('res.partner').filter((p) => p.ref === 'crm:c-17')).toHaveLength(1);
    expect(JSON.stringify(events)).toContain('odoo:external-ids-unavailable');

    const { invoice } = await odoo.actions.createInvoice({
      partner: first.partnerId,
      currency: 'SAR',
      ref: 'V-9',
      lines: [{ description: 'x', unitAmountMinor: 10_000, taxIds: [seeded.vat15] }],
    });
    await odoo.actions.postInvoice({ id: invoice.id! });
    const payment = {
      id: 'pay_1',
      source: { system: 'moyasar', id: 'pay_1' },
      status: 'succeeded' as const,
      amountMinor: 11_500,
      currency: 'SAR',
    };
    const a = await odoo.actions.registerPayment({ invoiceId: invoice.id!, payment });
    const b = await odoo.actions.registerPayment({ invoiceId: invoice.id!, payment });
    expect(b).toMatchObject({ created: false, paymentId: a.paymentId });
    expect(fake.state.records('account.payment')).toHaveLength(1);
  });

  it('registerPayment whose wizard response is lost finds the payment by memo instead of booking it twice', async () => {
    const { fake, seeded, odoo } = setup(server, protocol);
    const { invoice } = await odoo.actions.createInvoice({
      partner: seeded.patient,
      currency: 'KWD',
      ref: 'V-10',
      lines: [{ description: 'x', unitAmountMinor: 7_125 }],
    });
    await odoo.actions.postInvoice({ id: invoice.id! });
    fake.state.failNext({
      httpStatus: 502,
      model: 'account.payment.register',
      method: 'action_create_payments',
      afterExecute: true,
    });
    const payment = {
      id: 'chg_1',
      source: { system: 'tap', id: 'chg_1' },
      status: 'succeeded' as const,
      amountMinor: 7_125,
      currency: 'KWD',
    };
    const result = await odoo.actions.registerPayment({ invoiceId: invoice.id!, payment });
    expect(result).toMatchObject({ created: true, invoice: { status: 'paid', amountDueMinor: 0 } });
    await odoo.actions.registerPayment({ invoiceId: invoice.id!, payment });
    expect(fake.state.records('account.payment')).toHaveLength(1);
  });
});
