import type { FakeOdooState } from './fake-odoo.js';

/** Ids of the records {@link seedOdoo} creates. */
export interface SeededOdoo {
  currencies: Record<'SAR' | 'KWD' | 'AED' | 'EGP' | 'JPY', number>;
  /** VAT 15% (Saudi Arabia). */
  vat15: number;
  /** A patient partner with an Arabic name and a Saudi mobile. */
  patient: number;
  marketing: number;
  finance: number;
}

/**
 * Seeds the fake with what a Gulf hospital's Odoo has (fictional people): currencies with their
 * decimals, a 15% VAT, a patient with an Arabic name, and a Marketing department (names translated
 * `en_US`/`ar_001`) with two employees, plus one in Finance.
 */
export function seedOdoo(state: FakeOdooState, writeDate = '2025-03-01 09:00:00'): SeededOdoo {
  const currency = (name: string, decimals: number) =>
    state.insert('res.currency', { name, decimal_places: decimals, write_date: writeDate }).id;
  const currencies = {
    SAR: currency('SAR', 2),
    KWD: currency('KWD', 3),
    AED: currency('AED', 2),
    EGP: currency('EGP', 2),
    JPY: currency('JPY', 0),
  };
  const vat15 = state.insert('account.tax', { name: 'VAT 15%', amount: 15, write_date: writeDate }).id;
  const patient = state.insert('res.partner', {
    name: 'فاطمة عبدالله الحربي',
    is_company: false,
    email: 'fatimah.h@example.sa',
    phone: '055 512 3456',
    vat: false,
    ref: false,
    lang: 'ar_001',
    city: 'الرياض',
    country_code: 'SA',
    write_date: writeDate,
  }).id;
  const marketing = state.insert('hr.department', { name: { en_US: 'Marketing', ar_001: 'التسويق' }, write_date: writeDate }).id;
  const finance = state.insert('hr.department', { name: { en_US: 'Finance', ar_001: 'المالية' }, write_date: writeDate }).id;
  const dept = (id: number) => [id, state.orm.table('hr.department').get(id)!.name];
  state.insert('hr.employee', {
    name: 'نورة السبيعي',
    job_title: { en_US: 'Marketing Manager', ar_001: 'مديرة التسويق' },
    department_id: dept(marketing),
    work_email: 'noura.s@hospital.example',
    work_phone: '+966 11 234 5678',
    write_date: writeDate,
  });
  state.insert('hr.employee', {
    name: 'Omar Khalil',
    job_title: { en_US: 'Social Media Specialist', ar_001: 'أخصائي وسائل التواصل' },
    department_id: dept(marketing),
    work_email: 'omar.k@hospital.example',
    mobile_phone: '0501234567',
    write_date: writeDate,
  });
  state.insert('hr.employee', {
    name: 'Hassan Adel',
    job_title: 'Accountant',
    department_id: dept(finance),
    write_date: writeDate,
  });
  return { currencies, vat15, patient, marketing, finance };
}

/** Options of {@link seedInvoices}. */
export interface SeedInvoicesOptions {
  count: number;
  partnerId: number;
  currencyId: number;
  /** How many consecutive invoices share one `write_date` second. Default 50. */
  perSecond?: number;
  /** The first `write_date`. Default `2025-04-01 08:00:00`. */
  start?: string;
  /** The amount of invoice `i` (a float as Odoo sends it). Default `100 + i / 100`. */
  amount?: (i: number) => number;
}

/**
 * Inserts `count` posted customer invoices, one line each, whose `write_date`s come in runs of
 * `perSecond` identical seconds — the shape of a batch posting — to exercise paging through ties.
 */
export function seedInvoices(state: FakeOdooState, options: SeedInvoicesOptions): number[] {
  const perSecond = options.perSecond ?? 50;
  const start = Date.parse(`${(options.start ?? '2025-04-01 08:00:00').replace(' ', 'T')}Z`);
  const currency = state.orm.table('res.currency').get(options.currencyId)!;
  const partner = state.orm.table('res.partner').get(options.partnerId)!;
  const ids: number[] = [];
  for (let i = 0; i < options.count; i++) {
    const amount = options.amount?.(i) ?? 100 + i / 100;
    const writeDate = new Date(start + Math.floor(i / perSecond) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const move = state.insert('account.move', {
      name: `INV/2025/${String(i + 1).padStart(5, '0')}`,
      move_type: 'out_invoice',
      state: 'posted',
      payment_state: 'not_paid',
      partner_id: [partner.id, partner.name],
      currency_id: [currency.id, currency.name],
      amount_untaxed: amount,
      amount_tax: 0,
      amount_total: amount,
      amount_residual: amount,
      invoice_date: writeDate.slice(0, 10),
      invoice_date_due: false,
      ref: `VISIT-${i + 1}`,
      invoice_line_ids: [],
      write_date: writeDate,
    });
    const line = state.insert('account.move.line', {
      move_id: [move.id, move.name],
      name: 'استشارة طبية',
      quantity: 1,
      price_unit: amount,
      price_subtotal: amount,
      price_total: amount,
      tax_ids: [],
      display_type: 'product',
      write_date: writeDate,
    });
    move.invoice_line_ids = [line.id];
    ids.push(move.id);
  }
  return ids;
}
