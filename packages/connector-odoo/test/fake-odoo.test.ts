// The fake is only worth something if it behaves like Odoo where the connector depends on it:
// domains in prefix notation, paging and ordering, and Odoo's error shapes on both endpoints.
import { describe, expect, it } from 'vitest';
import { createFakeOdoo, seedOdoo } from '../src/msw/index.js';
import { apiKey, baseUrl, database, login, useServer } from './helpers.js';

const server = useServer();

async function json2(model: string, method: string, body: Record<string, unknown>, key = apiKey) {
  const response = await fetch(`${baseUrl}/json/2/${model}/${method}`, {
    method: 'POST',
    headers: { authorization: `bearer ${key}`, 'content-type': 'application/json', 'x-odoo-database': database },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

function fresh() {
  const fake = createFakeOdoo({ baseUrl, apiKey, database, login });
  server.use(...fake.handlers);
  seedOdoo(fake.state);
  for (let i = 1; i <= 6; i++)
    fake.state.insert('res.partner', {
      name: `P${i}`,
      ref: `R${i}`,
      is_company: i % 2 === 0,
      write_date: `2025-01-0${i} 00:00:00`,
    });
  return fake;
}

describe('fake Odoo', () => {
  it('honours &, | and ! in prefix notation, with implicit & between terms', async () => {
    fresh();
    const names = async (domain: unknown[]) =>
      (
        await json2('res.partner', 'search_read', {
          domain: [['name', '=like', 'P%'], ...domain],
          fields: ['name'],
          order: 'name asc',
        })
      ).body.map((r: { name: string }) => r.name);
    expect(await names([['is_company', '=', true]])).toEqual(['P2', 'P4', 'P6']);
    expect(await names(['!', ['is_company', '=', true]])).toEqual(['P1', 'P3', 'P5']);
    expect(await names(['|', ['ref', '=', 'R1'], ['ref', '=', 'R6']])).toEqual(['P1', 'P6']);
    expect(
      await names(['|', ['ref', '=', 'R1'], '&', ['is_company', '=', true], ['write_date', '>=', '2025-01-04 00:00:00']]),
    ).toEqual(['P1', 'P4', 'P6']);
    expect(
      await names([
        ['id', 'not in', []],
        ['ref', 'in', ['R2', 'R3']],
      ]),
    ).toEqual(['P2', 'P3']);
  });

  it('honours fields, limit, offset, order and search_count', async () => {
    fresh();
    const domain = [['name', '=like', 'P%']];
    const page = await json2('res.partner', 'search_read', {
      domain,
      fields: ['ref'],
      order: 'write_date desc, id desc',
      limit: 2,
      offset: 1,
    });
    expect(page.body.map((r: { ref: string }) => r.ref)).toEqual(['R5', 'R4']);
    expect(Object.keys(page.body[0]).sort()).toEqual(['id', 'ref']);
    expect((await json2('res.partner', 'search_count', { domain })).body).toBe(6);
  });

  it("answers Odoo's error shapes: bad field, bad domain, wrong key", async () => {
    fresh();
    const badField = await json2('res.partner', 'search_read', { domain: [['nope', '=', 1]] });
    expect(badField.status).toBe(400);
    expect(badField.body).toMatchObject({
      name: 'builtins.ValueError',
      arguments: [expect.any(String)],
      debug: expect.stringContaining('Traceback'),
    });
    expect((await json2('res.partner', 'search_read', { domain: ['|', ['name', '=', 'x']] })).status).toBe(400);
    const unauthorized = await json2('res.partner', 'search_read', {}, 'not-the-key-0000');
    expect(unauthorized).toMatchObject({ status: 401, body: { name: 'werkzeug.exceptions.Unauthorized' } });
  });

  it('JSON-RPC: authenticate, execute_kw with positional args, faults in error.data', async () => {
    fresh();
    const rpc = async (service: string, method: string, args: unknown[]) =>
      (await (
        await fetch(`${baseUrl}/jsonrpc`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: 1 }),
        })
      ).json()) as any;
    expect((await rpc('common', 'authenticate', [database, login, 'wrong-key-000', {}])).result).toBe(false);
    const uid = (await rpc('common', 'authenticate', [database, login, apiKey, {}])).result;
    const count = await rpc('object', 'execute_kw', [
      database,
      uid,
      apiKey,
      'res.partner',
      'search_count',
      [[['ref', 'in', ['R1', 'R2']]]],
      {},
    ]);
    expect(count.result).toBe(2);
    const fault = await rpc('object', 'execute_kw', [
      database,
      uid,
      apiKey,
      'res.partner',
      'search_read',
      [[['nope', '=', 1]]],
      {},
    ]);
    expect(fault.error).toMatchObject({ code: 200, message: 'Odoo Server Error', data: { name: 'builtins.ValueError' } });
  });
});
