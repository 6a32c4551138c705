import { stream } from '@hmi/core';
import { CallRecord } from '@hmi/core/schemas';
import { z } from 'zod';
import type { AsteriskContext } from '../asterisk-context.js';

/** Where a `calls` read is: the store position of the last record delivered (null before the first). */
export const CallsCheckpoint = z.object({ after: z.number().int().nonnegative().nullable() });
/** A `calls` checkpoint. */
export type CallsCheckpoint = z.infer<typeof CallsCheckpoint>;

/**
 * Finished calls replayed from the instance's CallStore (every record `listen` delivered), oldest
 * first, resumable: for reconciliation with the CRM after an outage of the host.
 */
export const calls = stream({
  description: 'Finished calls from the call store, oldest first',
  record: CallRecord,
  checkpoint: CallsCheckpoint,
  async *read(ctx: AsteriskContext, { checkpoint, signal }) {
    let after = checkpoint?.after ?? null;
    for (;;) {
      if (signal?.aborted) return;
      const page = await ctx.store.list(after, 100);
      if (page.records.length === 0) return;
      after = page.records.at(-1)!.position;
      yield { records: page.records.map((r) => r.record), checkpoint: { after } };
    }
  },
});
