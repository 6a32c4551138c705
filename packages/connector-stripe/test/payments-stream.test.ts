import fc from 'fast-check';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PaymentsCheckpoint, createStripeConnector } from '@hmi/connector-stripe';
import { chargeFixture, createStripeMockStore, createStripeMswHandlers, paymentIntentFixture } from '@hmi/connector-stripe/msw';

const store = createStripeMockStore();
const server = setupServer(...createStripeMswHandlers({ store }).handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  store.paymentIntents.clear();
  store.requests.length = 0;
});
afterAll(() => server.close());

const stripe = () => createStripeConnector({ apiKey: 'sk_test_stream' });
let seq = 0;
function addIntent(created: number, extra: Record<string, unknown> = {}) {
  seq++;
  const pi = paymentIntentFixture({ id: `pi_S${String(seq).padStart(8, '0')}`, created, ...extra });
  store.paymentIntents.set(pi.id as string, pi);
  return pi.id as string;
}

async function readAll(checkpoint?: PaymentsCheckpoint, stopAfterPages = Number.POSITIVE_INFINITY) {
  const ids: string[] = [];
  let last = checkpoint;
  let pages = 0;
  for await (const page of stripe().streams.payments.read(checkpoint ? { checkpoint } : {})) {
    ids.push(...page.records.map((r) => r.id));
    last = page.checkpoint;
    if (++pages >= stopAfterPages) break;
  }
  return { ids, checkpoint: last };
}

describe('payments stream', () => {
  it('pages with starting_after through everything, newest first, as canonical Payments', async () => {
    const all = Array.from({ length: 250 }, (_, i) => addIntent(1_700_000_000 + Math.floor(i / 3)));
    const { ids, checkpoint } = await readAll();
    expect(ids).toHaveLength(250);
    expect(new Set(ids)).toEqual(new Set(all));
    const pageRequests = store.requests.filter((r) => r.path === '/v1/payment_intents');
    expect(pageRequests).toHaveLength(3);
    expect(pageRequests[1]!.query).toMatch(/starting_after=pi_/);
    expect(checkpoint!.created).toBe(1_700_000_000 + 83);
    expect(checkpoint!.pass).toBeUndefined();
  });

  it('incremental: created[gte] + ids at that second — a payment later in the same second is delivered once', async () => {
    addIntent(100);
    const a = addIntent(200);
    const first = await readAll();
    expect(first.checkpoint).toEqual({ created: 200, ids: [a] });
    const b = addIntent(200); // same second, after the read
    const c = addIntent(201);
    const second = await readAll(first.checkpoint);
    expect(second.ids.sort()).toEqual([b, c].sort());
    expect(store.requests.at(-1)!.query).toContain('created[gte]=200');
    const third = await readAll(second.checkpoint);
    expect(third.ids).toEqual([]);
    expect(third.checkpoint).toEqual(second.checkpoint);
  });

  it('a crash part-way through a read resumes without loss or duplicates', async () => {
    for (let i = 0; i < 230; i++) addIntent(5_000 + i);
    const partial = await readAll(undefined, 1);
    expect(partial.ids).toHaveLength(100);
    expect(partial.checkpoint!.pass).toBeDefined();
    addIntent(9_999); // arrives while we are "down"
    const rest = await readAll(partial.checkpoint);
    expect(rest.ids).toHaveLength(130);
    expect(new Set([...partial.ids, ...rest.ids]).size).toBe(230);
    const next = await readAll(rest.checkpoint);
    expect(next.ids).toHaveLength(1);
  });

  it('property: any interleaving of reads, crashes and new payments delivers every payment exactly once', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), count: fc.integer({ min: 1, max: 120 }), sameSecond: fc.boolean() }),
      fc.record({ kind: fc.constant('read' as const), pages: fc.integer({ min: 1, max: 3 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        store.paymentIntents.clear();
        let clock = 1_000;
        let checkpoint: PaymentsCheckpoint | undefined;
        const delivered: string[] = [];
        const created: string[] = [];
        for (const s of steps) {
          if (s.kind === 'add') {
            for (let i = 0; i < s.count; i++) {
              if (!s.sameSecond) clock += 1;
              created.push(addIntent(clock));
            }
          } else {
            const r = await readAll(checkpoint, s.pages);
            delivered.push(...r.ids);
            checkpoint = r.checkpoint;
          }
        }
        // A read that resumes a crashed pass finishes that pass; payments made meanwhile come with
        // the next read. Read until a read brings nothing new.
        for (let round = 0; round < 3; round++) {
          const final = await readAll(checkpoint);
          delivered.push(...final.ids);
          checkpoint = final.checkpoint;
        }
        expect(delivered.length).toBe(new Set(delivered).size);
        expect(new Set(delivered)).toEqual(new Set(created));
      }),
      { numRuns: 25 },
    );
  }, 60_000);

  it('maps status, refunds (expanded latest_charge), failures and currency exponents', async () => {
    addIntent(10, {
      status: 'succeeded',
      currency: 'kwd',
      amount: 12_340,
      metadata: { hmi_contact_id: 'contact-9' },
      latest_charge: chargeFixture({ amount: 12_340, amount_refunded: 2_340, currency: 'kwd' }),
    });
    addIntent(11, {
      status: 'requires_payment_method',
      last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' },
    });
    addIntent(12, {
      status: 'succeeded',
      currency: 'jpy',
      amount: 5000,
      latest_charge: chargeFixture({ disputed: true, currency: 'jpy' }),
    });
    addIntent(13, { status: 'succeeded', currency: 'isk', amount: 50_000 });
    const records = [];
    for await (const page of stripe().streams.payments.read()) records.push(...page.records);
    const [isk, jpy, failed, kwd] = records;
    expect(kwd).toMatchObject({
      status: 'partially_refunded',
      amountMinor: 12_340,
      currency: 'KWD',
      refundedMinor: 2_340,
      contactId: 'contact-9',
    });
    expect(failed).toMatchObject({ status: 'failed', failureCode: 'insufficient_funds' });
    expect(jpy).toMatchObject({ status: 'disputed', amountMinor: 5000, currency: 'JPY' });
    expect(isk).toMatchObject({ amountMinor: 500, currency: 'ISK' });
    expect(store.requests.at(-1)!.query).toContain('expand[0]=data.latest_charge');
  });

  it('a checkpoint that is not one is a ValidationError before any request', async () => {
    const reading = async () => {
      for await (const _ of stripe().streams.payments.read({ checkpoint: { created: -1 } as never })) break;
    };
    await expect(reading()).rejects.toMatchObject({ code: 'validation_error' });
    expect(store.requests).toHaveLength(0);
  });
});
