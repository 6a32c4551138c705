import { paginateNextLink, type StreamPage } from '@hmi/core';
import { fhirNextLink } from './next-link.js';
import { z } from 'zod';
import type { FhirContext } from '../fhir-context.js';
import { checkedEntry, isBundleEntry, SearchBundleSchema } from './bundle-shape.js';

/**
 * Where an incremental read resumes: the highest `meta.lastUpdated` actually seen, and the ids of
 * the records seen with exactly that timestamp. `null` before anything has been seen.
 *
 * The next read asks for `_lastUpdated=ge<lastUpdated>` (not `gt`) and skips those ids: records
 * sharing the boundary timestamp that were not yet read — the rest of a tie split across a page
 * boundary when the host crashed, or one written in the same instant after the read — come back,
 * and the ones already delivered are not delivered twice.
 */
export const FhirCheckpoint = z
  .object({
    lastUpdated: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected a FHIR instant'),
    ids: z.array(z.string()).default([]),
  })
  .nullable();
/** A stream checkpoint. */
export type FhirCheckpoint = z.output<typeof FhirCheckpoint>;

/** What an incremental read of one resource type needs. */
export interface IncrementalSpec<R> {
  resourceType: 'Patient' | 'Condition' | 'Appointment';
  /** The elements the mapper reads (sent as `_elements` when the server supports it). */
  elements: readonly string[];
  map(resource: unknown): R;
}

interface Boundary {
  ms: number;
  text: string;
  ids: Set<string>;
}

/**
 * Reads every `resourceType` updated at or after the checkpoint, oldest first, page by page:
 * `_count`, `_sort=_lastUpdated`, `_lastUpdated=ge…`, then `Bundle.link[next]` exactly as the
 * server gives it. Each page yields its records and the checkpoint after them. Entries that are
 * not matches (OperationOutcome warnings, `_include`s) are skipped.
 */
export async function* readIncremental<R>(
  ctx: FhirContext,
  spec: IncrementalSpec<R>,
  checkpoint: FhirCheckpoint | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<StreamPage<R, FhirCheckpoint>> {
  const start: Boundary | undefined = checkpoint
    ? { ms: Date.parse(checkpoint.lastUpdated), text: checkpoint.lastUpdated, ids: new Set(checkpoint.ids) }
    : undefined;
  let boundary: Boundary | undefined = start && { ...start, ids: new Set(start.ids) };
  const perPage = ctx.config.serverSortsByLastUpdated;
  let warnedUnsorted = false;
  const query = {
    _count: ctx.config.pageSize,
    _sort: '_lastUpdated',
    ...(start && { _lastUpdated: `ge${start.text}` }),
    ...((await ctx.supportsElements(signal)) && { _elements: spec.elements.join(',') }),
  };
  const operation = `search${spec.resourceType}`;
  const snapshot = (b: Boundary | undefined): FhirCheckpoint => (b ? { lastUpdated: b.text, ids: [...b.ids] } : null);

  const pages = paginateNextLink(
    async (link) => {
      const bundle = await ctx.http.request({
        path: link ?? spec.resourceType,
        ...(link === undefined && { query }),
        schema: SearchBundleSchema,
        operation,
        ...(signal && { signal }),
      });
      return { items: bundle.entry ?? [], next: fhirNextLink(bundle) };
    },
    { ...(signal && { signal }) },
  );

  for await (const page of pages) {
    const records: R[] = [];
    // One pass: each entry is checked (in place) as it is reached, then mapped; a bad entry refuses
    // the whole page before anything of it is yielded, as a schema parse of the page did.
    for (let index = 0; index < page.items.length; index++) {
      const item: unknown = page.items[index];
      const entry = isBundleEntry(item) ? item : checkedEntry(page.items, index);
      const resource = entry.resource;
      if (!resource || resource.resourceType !== spec.resourceType) continue;
      if (entry.search?.mode !== undefined && entry.search.mode !== 'match') continue;
      const meta = resource.meta as { lastUpdated?: unknown } | undefined;
      const text = typeof meta?.lastUpdated === 'string' ? meta.lastUpdated : undefined;
      const ms = text === undefined ? Number.NaN : Date.parse(text);
      const id = typeof resource.id === 'string' ? resource.id : undefined;
      if (!Number.isNaN(ms)) {
        // Older than where this read started: a server that ignored `_lastUpdated`; delivered before.
        if (start && ms < start.ms) continue;
        // At the boundary and already delivered (by a previous read, or an overlapping page).
        if (boundary && ms === boundary.ms && id !== undefined && boundary.ids.has(id)) continue;
      }
      records.push(spec.map(resource));
      if (Number.isNaN(ms) || text === undefined) continue;
      if (!boundary || ms > boundary.ms) boundary = { ms, text, ids: new Set(id === undefined ? [] : [id]) };
      else if (ms === boundary.ms && id !== undefined) boundary.ids.add(id);
      else if (ms < boundary.ms && !warnedUnsorted && (!start || boundary.ms !== start.ms)) {
        warnedUnsorted = true;
        ctx.telemetry.emit('fhir:unsorted', { resourceType: spec.resourceType, operation });
      }
    }
    const last = page.next === undefined;
    yield { records, checkpoint: perPage || last ? snapshot(boundary) : snapshot(start) };
  }
}
