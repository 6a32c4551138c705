import { stream } from '@hmi/core';
import { z } from 'zod';
import type { TapContext } from '../tap-context.js';
import { TapPayment, toTapPayment, WireChargeList } from '../tap-model.js';

// Tap's list is a window of creation times (`period.date.from/to`, epoch ms) read with a cursor
// (`starting_after`). The window ends a minute in the past, so a charge stamped just before the
// read but stored a moment later is picked up by the next window rather than missed.
const SETTLE_MS = 60_000;

/**
 * Where a `charges` read is: the window (`from`, `to`, epoch ms, inclusive) and the cursor inside
 * it. With the window fixed and a cursor, resuming neither loses nor repeats a charge; when a
 * window is done the next starts at `to + 1`.
 */
export const ChargesCheckpoint = z.object({
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative().nullable(),
  after: z
    .string()
    .regex(/^chg_[A-Za-z0-9]+$/)
    .nullable(),
});
/** A `charges` checkpoint. */
export type ChargesCheckpoint = z.infer<typeof ChargesCheckpoint>;

/**
 * Tap charges as an incremental, resumable stream by creation time (`POST /v2/charges/list`, a
 * read). Within a window charges come in Tap's order (newest first).
 */
export const charges = stream({
  description: 'Tap charges created since the last read (period window, starting_after cursor)',
  record: TapPayment,
  checkpoint: ChargesCheckpoint,
  async *read(ctx: TapContext, { checkpoint, signal }) {
    const from = checkpoint?.from ?? 0;
    const to = checkpoint?.to ?? Math.max(from, Date.now() - SETTLE_MS);
    let after = checkpoint?.after ?? null;
    for (let guard = 0; guard < 1_000_000; guard++) {
      if (signal?.aborted) return;
      const page = await ctx.http.request({
        method: 'POST',
        path: '/v2/charges/list',
        json: { period: { date: { from, to } }, limit: ctx.config.pageSize, ...(after && { starting_after: after }) },
        // A list is a read sent as POST: repeating it changes nothing.
        idempotent: true,
        schema: WireChargeList,
        operation: 'charges',
        signal,
      });
      const last = page.charges.at(-1)?.id;
      const records = page.charges.filter((c) => c.id.startsWith('chg_')).map(toTapPayment);
      if (page.has_more && last && last !== after && /^chg_/.test(last)) {
        after = last;
        yield { records, checkpoint: { from, to, after } };
        continue;
      }
      yield { records, checkpoint: { from: to + 1, to: null, after: null } };
      return;
    }
  },
});
