import { describe, expect, it } from 'vitest';
import { apiKey, database, login, setup, useServer } from './helpers.js';

const server = useServer();

/** The JSON body of a captured call. */
const bodyOf = (call: { body: unknown }) =>
  (typeof call.body === 'string' ? JSON.parse(call.body) : call.body) as Record<string, any>;

describe('wire format', () => {
  it('JSON-2: POST /json/2/<model>/<method>, bearer key, X-Odoo-Database, named arguments and context', async () => {
    const { odoo } = setup(server, 'json2', { lang: 'ar_001', companyId: 3 });
    await odoo.actions.getInvoice({ id: 1 }).catch(() => undefined);
    const call = server.calls.find((c) => c.path === '/json/2/account.move/search_read')!;
    expect(call.method).toBe('POST');
    expect(call.headers.authorization).toBe(`bearer ${apiKey}`);
    expect(call.headers['x-odoo-database']).toBe(database);
    expect(call.headers['content-type']).toMatch(/^application\/json/);
    const body = bodyOf(call);
    expect(body).toMatchObject({ context: { lang: 'ar_001', allowed_company_ids: [3] }, limit: 1, order: 'id asc' });
    expect(body.domain).toEqual([
      ['move_type', 'in', ['out_invoice', 'out_refund']],
      ['id', '=', 1],
    ]);
    expect(body.fields).toContain('amount_total');
    expect(body).not.toHaveProperty('ids');
  });

  it('JSON-RPC: authenticate once, then execute_kw with the documented positional arguments', async () => {
    const { seeded, odoo } = setup(server, 'jsonrpc', { lang: 'ar_001' });
    await odoo.actions.createInvoice({
      partner: seeded.patient,
      currency: 'KWD',
      ref: 'K-9',
      lines: [{ description: 'x', unitAmountMinor: 1_234 }],
    });
    await odoo.actions.getInvoice({ id: 1 }).catch(() => undefined);
    const bodies = server.calls.filter((c) => c.path === '/jsonrpc').map(bodyOf);
    expect(bodies.filter((b) => b.params.method === 'authenticate')).toHaveLength(1);
    expect(bodies[0]).toMatchObject({
      jsonrpc: '2.0',
      method: 'call',
      params: { service: 'common', method: 'authenticate', args: [database, login, apiKey, {}] },
    });
    const kw = bodies.filter((b) => b.params.method === 'execute_kw').map((b) => b.params.args);
    const search = kw.find((a) => a[3] === 'account.move' && a[4] === 'search_read')!;
    expect(search.slice(0, 3)).toEqual([database, 2, apiKey]);
    expect(search[5]).toEqual([
      [
        ['move_type', 'in', ['out_invoice', 'out_refund']],
        ['move_type', '=', 'out_invoice'],
        ['ref', '=', 'K-9'],
      ],
    ]);
    expect(search[6]).toMatchObject({ fields: expect.arrayContaining(['amount_total']), limit: 1, context: { lang: 'ar_001' } });
    const create = kw.find((a) => a[3] === 'account.move' && a[4] === 'create')!;
    // One dict, as the documentation's create example; amounts as exact decimals.
    expect(create[5]).toEqual([
      expect.objectContaining({
        move_type: 'out_invoice',
        ref: 'K-9',
        invoice_line_ids: [[0, 0, expect.objectContaining({ price_unit: 1.234 })]],
      }),
    ]);
  });
});
