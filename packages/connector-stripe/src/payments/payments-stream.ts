import { stripeKit } from '../stripe-context.js';
import { HmiError, type StreamDefinition } from '@hmi/core';
import * as v from 'valibot';
import { paymentFromIntent } from '../canonical/to-canonical.js';
import { StripePaymentIntent, stripeList } from '../shared/objects.js';
import { int, strip } from '../shared/schema.js';
import { PaymentRecord } from './payment-record.js';
import { type StripeContext, getJson } from '../stripe-context.js';

const PAGE_SIZE = 100;
const MAX_PAGES = 100_000;
const MAX_IDS_PER_SECOND = 10_000;

/* @__NO_SIDE_EFFECTS__ */
function Seconds() {
  return v.pipe(int(), v.minValue(0));
}
/* @__NO_SIDE_EFFECTS__ */
function Ids() {
  return v.pipe(v.array(v.string()), v.maxLength(MAX_IDS_PER_SECOND));
}
/**
 * Where a payments read stands.
 * - `created` / `ids`: every PaymentIntent created before `created`, and those at `created` whose
 *   ids are listed, have been delivered. The next read asks for `created[gte]` and skips those ids,
 *   so a payment made later in the same second is not lost and none is delivered twice.
 * - `pass`: set while a read is part-way through (Stripe lists newest first and pages backwards with
 *   `starting_after`); resuming continues after `cursor` and only then moves the watermark up to
 *   the pass's newest second.
 */
export const PaymentsCheckpoint = strip({
  created: Seconds(),
  ids: Ids(),
  pass: v.optional(
    strip({
      cursor: v.pipe(v.string(), v.regex(/^pi_[A-Za-z0-9_]+$/)),
      highest: Seconds(),
      idsAtHighest: Ids(),
    }),
  ),
});
/** Where a payments read stands. */
export type PaymentsCheckpoint = v.InferOutput<typeof PaymentsCheckpoint>;

const IntentList = stripeList(StripePaymentIntent);

/**
 * The `payments` stream: PaymentIntents as canonical Payments, newest first within a read, each
 * page with a checkpoint to resume after it. The first read (no checkpoint) reads everything. A read
 * that resumes an interrupted pass finishes that pass; payments made in the meantime come with the
 * next read.
 */
export const payments: StreamDefinition<StripeContext, typeof PaymentRecord, typeof PaymentsCheckpoint> =
  /* @__PURE__ */ stripeKit.stream({
    description: 'PaymentIntents as canonical Payments (GET /v1/payment_intents, created[gte] + starting_after).',
    record: PaymentRecord,
    checkpoint: PaymentsCheckpoint,
    async *read(ctx: StripeContext, { checkpoint, signal }) {
      const floor = checkpoint ? { created: checkpoint.created, ids: new Set(checkpoint.ids) } : undefined;
      let cursor = checkpoint?.pass?.cursor;
      let highest = checkpoint?.pass?.highest;
      let idsAtHighest = new Set(checkpoint?.pass?.idsAtHighest ?? []);
      const seenCursors = new Set<string>();
      for (let pages = 0; ; pages++) {
        if (pages >= MAX_PAGES) throw new HmiError('payments stream: too many pages', { code: 'pagination_limit' });
        const query: Record<string, unknown> = {
          ...(floor && { created: { gte: floor.created } }),
          expand: ['data.latest_charge'],
          limit: PAGE_SIZE,
          ...(cursor !== undefined && { starting_after: cursor }),
        };
        const page = await getJson(ctx, '/v1/payment_intents', query, IntentList, 'payments', signal);
        const fresh = page.data.filter((pi) => !(floor && pi.created === floor.created && floor.ids.has(pi.id)));
        for (const pi of page.data) {
          if (floor && pi.created < floor.created) {
            throw new HmiError('payments stream: Stripe returned a payment older than the requested range', {
              code: 'invalid_response',
            });
          }
          if (highest === undefined || pi.created > highest) {
            highest = pi.created;
            idsAtHighest = new Set([pi.id]);
          } else if (pi.created === highest) idsAtHighest.add(pi.id);
        }
        const last = page.data.at(-1);
        const more = page.has_more && last !== undefined;
        if (more && seenCursors.has(last.id)) {
          throw new HmiError('payments stream: Stripe repeated a page cursor', { code: 'pagination_loop' });
        }
        const records = fresh.map(paymentFromIntent);
        if (more) {
          seenCursors.add(last.id);
          cursor = last.id;
          yield {
            records,
            checkpoint: {
              created: floor?.created ?? 0,
              ids: [...(floor?.ids ?? [])],
              pass: { cursor, highest: highest!, idsAtHighest: [...idsAtHighest] },
            },
          };
          continue;
        }
        yield { records, checkpoint: finalCheckpoint(floor, highest, idsAtHighest) };
        return;
      }
    },
  });

function finalCheckpoint(
  floor: { created: number; ids: Set<string> } | undefined,
  highest: number | undefined,
  idsAtHighest: Set<string>,
): PaymentsCheckpoint {
  if (highest === undefined) return { created: floor?.created ?? 0, ids: [...(floor?.ids ?? [])] };
  if (floor && highest === floor.created) return { created: highest, ids: [...new Set([...floor.ids, ...idsAtHighest])] };
  return { created: highest, ids: [...idsAtHighest] };
}
