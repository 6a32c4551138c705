import { describe, expect, it } from 'vitest';
import type { OdooCheckpoint } from '../src/index.js';
import { seedInvoices } from '../src/msw/index.js';
import { PROTOCOLS, setup, useServer } from './helpers.js';

const server = useServer();

describe.each(PROTOCOLS)('streams over %s', (protocol) => {
  it('1,500 invoices sharing write_dates: a crash mid-tie and a resume lose none and repeat none', async () => {
    const { fake, seeded, odoo } = setup(server, protocol, { pageSize: 70 });
    // Runs of 50 invoices per second, and pages of 70: most page boundaries split a tie.
    const ids = seedInvoices(fake.state, {
      count: 1_500,
      partnerId: seeded.patient,
      currencyId: seeded.currencies.SAR,
      perSecond: 50,
    });
    const seen: string[] = [];
    let checkpoint: OdooCheckpoint | undefined;
    let pages = 0;
    for await (const page of odoo.streams.invoices.read()) {
      pages++;
      // The host stored only part of this page before it crashed: the last 25 records are lost.
      if (pages === 6) {
        const kept = page.records.slice(0, 45);
        seen.push(...kept.map((r) => r.id!));
        // The checkpoint a host saves after each record it stored: the one after record 45.
        const last = kept.at(-1)!;
        const sameSecond = kept.filter((r) => r.updatedAt === last.updatedAt).map((r) => Number(r.id));
        checkpoint = { writeDate: last.updatedAt!.slice(0, 19).replace('T', ' '), ids: sameSecond };
        break;
      }
      seen.push(...page.records.map((r) => r.id!));
      checkpoint = page.checkpoint;
    }
    expect(pages).toBe(6);
    for await (const page of odoo.streams.invoices.read({ checkpoint })) {
      seen.push(...page.records.map((r) => r.id!));
    }
    expect(seen).toHaveLength(1_500);
    expect(new Set(seen).size).toBe(1_500);
    expect(new Set(seen)).toEqual(new Set(ids.map(String)));
    // The reads asked Odoo for the boundary with `>=` and the tie's ids excluded.
    const domains = fake.state.requests.filter((r) => r.model === 'account.move').map((r) => JSON.stringify(r.params.domain));
    expect(domains.some((d) => d.includes('"write_date",">="') && d.includes('"not in"'))).toBe(true);
  });

  it('a crash between two pages resumes from the saved checkpoint exactly', async () => {
    const { fake, seeded, odoo } = setup(server, protocol, { pageSize: 40 });
    seedInvoices(fake.state, {
      count: 300,
      partnerId: seeded.patient,
      currencyId: seeded.currencies.KWD,
      perSecond: 100,
      amount: (i) => 1 + i / 1000,
    });
    const first: string[] = [];
    let checkpoint: OdooCheckpoint | undefined;
    for await (const page of odoo.streams.invoices.read()) {
      first.push(...page.records.map((r) => r.id!));
      checkpoint = page.checkpoint;
      if (first.length >= 120) break;
    }
    const rest: string[] = [];
    for await (const page of odoo.streams.invoices.read({ checkpoint })) rest.push(...page.records.map((r) => r.id!));
    expect(first.length + rest.length).toBe(300);
    expect(new Set([...first, ...rest]).size).toBe(300);
    // A resume from the end yields nothing new; a record written later comes back alone.
    let end: OdooCheckpoint | undefined = checkpoint;
    for await (const page of odoo.streams.invoices.read({ checkpoint })) end = page.checkpoint;
    let again = 0;
    for await (const page of odoo.streams.invoices.read({ checkpoint: end })) again += page.records.length;
    expect(again).toBe(0);
    fake.state.orm.update('account.move', Number(first[0]), { ref: 'VISIT-EDITED' });
    const changed: string[] = [];
    for await (const page of odoo.streams.invoices.read({ checkpoint: end })) changed.push(...page.records.map((r) => r.id!));
    expect(changed).toEqual([first[0]]);
  });
});
