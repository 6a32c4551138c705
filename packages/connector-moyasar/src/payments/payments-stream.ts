import { stream } from '@hmi/core';
import { z } from 'zod';
import type { MoyasarContext } from '../moyasar-context.js';
import { MoyasarPayment, toMoyasarPayment, WirePaymentPage } from '../moyasar-model.js';

const Iso = z.iso.datetime({ offset: true });

/**
 * Where a `payments` read is. Moyasar lists newest first with page numbers, so a read works on a
 * fixed window: payments created after `after` and up to `to` (the newest `created_at` seen on the
 * window's first page). With both bounds fixed the pages cannot shift while new payments arrive,
 * so resuming at `page` neither loses nor repeats a payment. When a window is done the next read
 * starts after its `to`.
 */
export const PaymentsCheckpoint = z.object({
  after: Iso.nullable(),
  to: Iso.nullable(),
  page: z.number().int().min(1).max(1_000_000),
});
/** A `payments` checkpoint. */
export type PaymentsCheckpoint = z.infer<typeof PaymentsCheckpoint>;

const plusOneMs = (iso: string) => new Date(Date.parse(iso) + 1).toISOString();

/**
 * Moyasar payments as an incremental, resumable stream by creation time (`GET /v1/payments` with
 * `created[gt]` / `created[lt]` and `page`). Within a window records come newest first (Moyasar's
 * order); every page carries the checkpoint to resume after it.
 */
export const payments = stream({
  description: 'Moyasar payments created since the last read (window of created[gt]/created[lt], paged)',
  record: MoyasarPayment,
  checkpoint: PaymentsCheckpoint,
  async *read(ctx: MoyasarContext, { checkpoint, signal }) {
    const after = checkpoint?.after ?? null;
    let to = checkpoint?.to ?? null;
    let page = checkpoint?.page ?? 1;
    for (let guard = 0; guard < 100_000; guard++) {
      if (signal?.aborted) return;
      const result = await ctx.http.request({
        path: '/v1/payments',
        query: {
          page,
          ...(after !== null && { 'created[gt]': after }),
          ...(to !== null && { 'created[lt]': plusOneMs(to) }),
        },
        schema: WirePaymentPage,
        operation: 'payments',
        signal,
      });
      if (to === null) {
        let newest: number | undefined;
        for (const p of result.payments) {
          const t = Date.parse(p.created_at);
          if (!Number.isNaN(t) && (newest === undefined || t > newest)) newest = t;
        }
        to = newest === undefined ? null : new Date(newest).toISOString();
      }
      const upper = to === null ? undefined : Date.parse(to);
      const records = result.payments
        .filter((p) => upper === undefined || Date.parse(p.created_at) <= upper)
        .map(toMoyasarPayment);
      const next = result.meta.next_page;
      if (next && next > page && records.length > 0) {
        yield { records, checkpoint: { after, to, page: next } };
        page = next;
        continue;
      }
      yield { records, checkpoint: { after: to ?? after, to: null, page: 1 } };
      return;
    }
  },
});
