import { describe, expect, it } from 'vitest';
import { seedInvoices } from '../src/msw/index.js';
import { PROTOCOLS, setup, useServer } from './helpers.js';

const server = useServer();

describe.each(PROTOCOLS)('partners, employees and payments over %s', (protocol) => {
  it('partners become Contacts: Arabic name, E.164 phone, ref and VAT identifiers', async () => {
    const { fake, odoo } = setup(server, protocol, { lang: 'ar_001' });
    fake.state.insert('res.partner', {
      name: 'Gulf Insurance Co.',
      is_company: true,
      vat: '310122393500003',
      ref: 'INS-7',
      phone: '+971 4 362 4444',
      write_date: '2025-03-02 08:00:00',
    });
    fake.state.insert('res.partner', { name: 'Archived Patient', active: false, write_date: '2025-03-03 08:00:00' });
    const contacts = [];
    for await (const page of odoo.streams.partners.read()) contacts.push(...page.records);
    expect(contacts).toHaveLength(3);
    expect(contacts[0]).toMatchObject({
      names: [{ text: 'فاطمة عبدالله الحربي', language: 'ar' }],
      phones: [{ value: '+966555123456' }],
      emails: [{ value: 'fatimah.h@example.sa' }],
      languages: ['ar'],
      addresses: [{ city: 'الرياض', country: 'SA' }],
      kind: 'patient',
    });
    expect(contacts[1]).toMatchObject({
      kind: 'other',
      phones: [{ value: '+97143624444' }],
      identifiers: [{ value: 'INS-7' }, { value: '310122393500003' }],
    });
    expect(contacts[2]).toMatchObject({ active: false });
    expect(fake.state.requests.every((r) => r.context.lang === 'ar_001')).toBe(true);
  });

  it('employees of the Marketing department, read in Arabic', async () => {
    const { odoo } = setup(server, protocol, { lang: 'ar_001', employeeDepartments: ['Marketing'] });
    const staff = [];
    for await (const page of odoo.streams.employees.read()) staff.push(...page.records);
    expect(staff.map((e) => e.name)).toEqual(['نورة السبيعي', 'Omar Khalil']);
    expect(staff[0]).toMatchObject({ jobTitle: 'مديرة التسويق', department: 'التسويق', workPhone: '+966112345678' });
    expect(staff[1]).toMatchObject({ jobTitle: 'أخصائي وسائل التواصل', workPhone: '+966501234567' });
  });

  it('employees filtered by department id, in English by default', async () => {
    const { seeded, odoo } = setup(server, protocol, { employeeDepartments: [9999] });
    const none = [];
    for await (const page of odoo.streams.employees.read()) none.push(...page.records);
    expect(none).toHaveLength(0);
    const { odoo: finance } = setup(server, protocol, { employeeDepartments: [seeded.finance] });
    const staff = [];
    for await (const page of finance.streams.employees.read()) staff.push(...page.records);
    expect(staff).toMatchObject([{ name: 'Hassan Adel', department: 'Finance' }]);
  });

  it('payments stream: a registered payment arrives as a canonical Payment linked to its invoice', async () => {
    const { odoo, seeded } = setup(server, protocol);
    const { invoice } = await odoo.actions.createInvoice({
      partner: seeded.patient,
      currency: 'KWD',
      ref: 'KW-PAY',
      lines: [{ description: 'MRI', unitAmountMinor: 45_125 }],
    });
    await odoo.actions.postInvoice({ id: invoice.id! });
    await odoo.actions.registerPayment({
      invoiceId: invoice.id!,
      payment: {
        id: 'chg_TS0x',
        source: { system: 'tap', id: 'chg_TS0x' },
        status: 'succeeded',
        amountMinor: 20_000,
        currency: 'KWD',
      },
    });
    const payments = [];
    for await (const page of odoo.streams.payments.read()) payments.push(...page.records);
    expect(payments).toMatchObject([
      { status: 'succeeded', amountMinor: 20_000, currency: 'KWD', invoiceId: invoice.id, direction: 'inbound' },
    ]);
    const after = await odoo.actions.getInvoice({ id: invoice.id! });
    expect(after).toMatchObject({
      status: 'partially_paid',
      amountDueMinor: 25_125,
      amountPaidMinor: 20_000,
      paymentState: 'partial',
    });
  });

  it('a currency shown by a custom display name is resolved to its ISO code, so KWD keeps three decimals', async () => {
    const { fake, seeded, odoo } = setup(server, protocol);
    const [id] = seedInvoices(fake.state, {
      count: 1,
      partnerId: seeded.patient,
      currencyId: seeded.currencies.KWD,
      amount: () => 1_234.567,
    });
    fake.state.orm.table('account.move').get(id!)!.currency_id = [seeded.currencies.KWD, 'Kuwaiti Dinar'];
    const invoice = await odoo.actions.getInvoice({ id: id! });
    expect(invoice).toMatchObject({ currency: 'KWD', totalMinor: 1_234_567, lines: [{ unitAmountMinor: 1_234_567 }] });
  });
});
