import type { StreamPage } from '@hmi/core';
import { z } from 'zod';
import type { OdooContext } from '../odoo-context.js';
import { RecordId, WriteDate } from '../shared/wire.js';

/**
 * Where an incremental read resumes: the highest `write_date` delivered, and the ids delivered with
 * exactly that `write_date`. `null` before anything has been read.
 *
 * Odoo's `write_date` has one-second resolution on the wire and many records share a second (an
 * import, a batch posting). The next read asks for `write_date >= writeDate` and `id not in ids`:
 * the rest of a tie that a crash split between two records comes back, and the records already
 * delivered do not come back twice, whatever order the database returns a tie in.
 */
export const OdooCheckpoint = z
  .object({
    writeDate: WriteDate,
    ids: z.array(RecordId).max(1_000_000).default([]),
  })
  .nullable();
/** A stream checkpoint. */
export type OdooCheckpoint = z.output<typeof OdooCheckpoint>;

/** The fields every streamed record carries. */
export interface Stamped {
  id: number;
  write_date: string;
}

/** What an incremental read of one model needs. */
export interface IncrementalSpec<W extends Stamped, R> {
  model: string;
  /** The fields the mapper reads (`fields` of `search_read`; `id` and `write_date` are added). */
  fields: readonly string[];
  /** Conditions every record must meet, ANDed with the checkpoint's. */
  domain: readonly unknown[];
  /** Extra context, e.g. `{ active_test: false }` to include archived records. */
  context?: Record<string, unknown>;
  /** Wire shape of one record. */
  wire: z.ZodType<W>;
  /** Maps one page (a batch, so related records can be fetched in one call). */
  map(records: W[], signal: AbortSignal | undefined): Promise<R[]>;
  operation: string;
}

/**
 * Reads every record of `spec.model` written at or after the checkpoint, oldest first
 * (`order: 'write_date asc, id asc'`), a page at a time; each page yields its records and the
 * checkpoint after them. Ends on the first short page.
 */
export async function* readIncremental<W extends Stamped, R>(
  ctx: OdooContext,
  spec: IncrementalSpec<W, R>,
  checkpoint: OdooCheckpoint | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<StreamPage<R, OdooCheckpoint>> {
  let boundary = checkpoint ? { writeDate: checkpoint.writeDate, ids: new Set(checkpoint.ids) } : undefined;
  const fields = [...new Set(['id', 'write_date', ...spec.fields])];
  const limit = ctx.config.pageSize;
  for (;;) {
    const domain: unknown[] = [...spec.domain];
    if (boundary) {
      domain.push(['write_date', '>=', boundary.writeDate]);
      if (boundary.ids.size > 0) domain.push(['id', 'not in', [...boundary.ids]]);
    }
    const page = await ctx.rpc.call(spec.model, 'search_read', {
      params: { domain, fields, limit, order: 'write_date asc, id asc' },
      ...(spec.context && { context: spec.context }),
      schema: z.array(spec.wire),
      operation: spec.operation,
      signal,
    });
    const fresh: W[] = [];
    for (const record of page) {
      if (boundary) {
        // Older than the boundary, or a boundary record again: a server that ignored part of the domain.
        if (record.write_date < boundary.writeDate) continue;
        if (record.write_date === boundary.writeDate && boundary.ids.has(record.id)) continue;
      }
      fresh.push(record);
      if (!boundary || record.write_date > boundary.writeDate)
        boundary = { writeDate: record.write_date, ids: new Set([record.id]) };
      else boundary.ids.add(record.id);
    }
    if (fresh.length > 0 && boundary) {
      yield { records: await spec.map(fresh, signal), checkpoint: { writeDate: boundary.writeDate, ids: [...boundary.ids] } };
    }
    // A short page is the last; a full page of nothing new means the server ignores the domain.
    if (page.length < limit || fresh.length === 0) return;
  }
}
