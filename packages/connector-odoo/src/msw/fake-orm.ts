import { type FakeRecord, inLang, matches, OdooFault, parseDomain, sortRecords } from './domain.js';

export { inLang };

/** The fields each model of the fake has (`id`, `write_date`, `create_date` are implicit). */
export const FAKE_MODELS: Readonly<Record<string, readonly string[]>> = {
  'res.partner': [
    'name',
    'is_company',
    'email',
    'phone',
    'vat',
    'ref',
    'lang',
    'street',
    'street2',
    'city',
    'zip',
    'country_code',
    'active',
    'parent_id',
  ],
  'res.currency': ['name', 'decimal_places', 'active'],
  'res.users': ['name', 'login'],
  'account.tax': ['name', 'amount'],
  'account.move': [
    'name',
    'move_type',
    'state',
    'payment_state',
    'partner_id',
    'currency_id',
    'amount_untaxed',
    'amount_tax',
    'amount_total',
    'amount_residual',
    'invoice_date',
    'invoice_date_due',
    'ref',
    'invoice_line_ids',
  ],
  'account.move.line': [
    'move_id',
    'name',
    'quantity',
    'price_unit',
    'price_subtotal',
    'price_total',
    'tax_ids',
    'display_type',
    'product_id',
    'account_id',
  ],
  'account.payment': [
    'name',
    'payment_type',
    'partner_type',
    'partner_id',
    'amount',
    'currency_id',
    'state',
    'date',
    'payment_reference',
    'memo',
    'reconciled_invoice_ids',
    'payment_method_line_id',
    'journal_id',
  ],
  'account.payment.register': ['amount', 'communication', 'payment_date', 'journal_id'],
  'hr.department': ['name'],
  'hr.employee': ['name', 'job_title', 'department_id', 'work_email', 'work_phone', 'mobile_phone', 'active'],
  'ir.model.data': ['module', 'name', 'model', 'res_id', 'noupdate'],
};

/** Models with an `active` field hide archived records unless the domain mentions `active`. */
const HAS_ACTIVE = new Set(['res.partner', 'res.currency', 'hr.employee']);

/** The in-memory database behind the fake: records per model, ids, the clock. */
export class FakeOrm {
  readonly tables = new Map<string, Map<number, FakeRecord>>();
  private nextId = 1;
  constructor(readonly now: () => Date) {
    for (const model of Object.keys(FAKE_MODELS)) this.tables.set(model, new Map());
  }

  /** `YYYY-MM-DD HH:MM:SS`, UTC — Odoo's datetime on the wire (one-second resolution). */
  stamp(): string {
    return this.now().toISOString().slice(0, 19).replace('T', ' ');
  }

  table(model: string): Map<number, FakeRecord> {
    const table = this.tables.get(model);
    if (!table) throw new OdooFault('werkzeug.exceptions.NotFound', `Model ${model} does not exist`);
    return table;
  }

  hasField(model: string, path: string): boolean {
    const field = path.split('.')[0]!;
    return field === 'id' || field === 'write_date' || field === 'create_date' || (FAKE_MODELS[model]?.includes(field) ?? false);
  }

  /** Inserts a record as given (tests and fixtures): `write_date` is kept if set. */
  insert(model: string, values: Record<string, unknown>): FakeRecord {
    const id = typeof values.id === 'number' ? values.id : this.nextId++;
    this.nextId = Math.max(this.nextId, id + 1);
    const stamp = this.stamp();
    const record: FakeRecord = { create_date: stamp, write_date: stamp, ...values, id };
    if (HAS_ACTIVE.has(model) && record.active === undefined) record.active = true;
    this.table(model).set(id, record);
    return record;
  }

  /** Updates fields and `write_date`, as every ORM write does. */
  update(model: string, id: number, values: Record<string, unknown>): FakeRecord {
    const record = this.table(model).get(id);
    if (!record) throw new OdooFault('odoo.exceptions.MissingError', 'Record does not exist or has been deleted.');
    Object.assign(record, values, { write_date: this.stamp() });
    return record;
  }

  /** The display pair of a many2one: `[id, name]`, or false. */
  m2o(model: string, id: unknown): [number, unknown] | false {
    if (typeof id !== 'number') return false;
    const record = this.table(model).get(id);
    if (!record) throw new OdooFault('odoo.exceptions.MissingError', `Record ${model}(${id}) does not exist`);
    return [id, record.name ?? ''];
  }

  search(model: string, params: Record<string, unknown>, lang?: string, activeTest = true): FakeRecord[] {
    const has = (f: string) => this.hasField(model, f);
    const node = parseDomain(params.domain ?? [], has);
    // As the ORM: archived records are hidden unless the domain names `active` or the context says `active_test: false`.
    const mentionsActive = !activeTest || JSON.stringify(params.domain ?? []).includes('"active"');
    const rows = [...this.table(model).values()].filter(
      (r) => (mentionsActive || !HAS_ACTIVE.has(model) || r.active !== false) && matches(node, r, lang),
    );
    const offset = Number(params.offset ?? 0);
    const limit =
      params.limit === undefined || params.limit === null || params.limit === false ? undefined : Number(params.limit);
    if (!Number.isInteger(offset) || offset < 0 || (limit !== undefined && (!Number.isInteger(limit) || limit < 0))) {
      throw new OdooFault('builtins.ValueError', 'Invalid offset or limit');
    }
    const sorted = sortRecords(rows, params.order, has);
    return sorted.slice(offset, limit === undefined ? undefined : offset + limit);
  }

  /** The requested `fields` of each record (all fields when none given), translated. */
  project(model: string, records: FakeRecord[], fields: unknown, lang: string | undefined): Record<string, unknown>[] {
    const wanted =
      Array.isArray(fields) && fields.length ? (fields as unknown[]) : ['id', 'write_date', ...(FAKE_MODELS[model] ?? [])];
    for (const f of wanted) {
      if (typeof f !== 'string' || !this.hasField(model, f) || f.includes('.'))
        throw new OdooFault('builtins.ValueError', `Invalid field ${String(f)} on model ${model}`);
    }
    return records.map((r) => {
      const out: Record<string, unknown> = { id: r.id };
      for (const f of wanted as string[]) out[f] = inLang(r[f] ?? false, lang);
      return out;
    });
  }
}
