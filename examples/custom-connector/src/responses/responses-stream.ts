import { paginateCursor, stream } from '@hmi/core';
import { z } from 'zod';
import type { SurveyContext } from '../survey-context.js';
import { SurveyResponse, toSurveyResponse, WireResponsePage } from '../survey-model.js';

/**
 * Where a `responses` read is: the API's cursor after the last response delivered (null before
 * the first). Responses are an append-only log, so resuming from the cursor loses and repeats
 * nothing.
 */
export const ResponsesCheckpoint = z.object({ cursor: z.string().min(1).max(512).nullable() });
/** A `responses` checkpoint. */
export type ResponsesCheckpoint = z.infer<typeof ResponsesCheckpoint>;

/**
 * Survey responses, oldest first, as an incremental, resumable stream (`GET /v1/responses?after=`).
 * Every page yields the cursor after its last response; save it and pass it back to resume.
 */
export const responses = stream({
  description: 'Survey responses in submission order (cursor paging)',
  record: SurveyResponse,
  checkpoint: ResponsesCheckpoint,
  async *read(ctx: SurveyContext, { checkpoint, signal }) {
    let position = checkpoint?.cursor ?? null;
    const pages = paginateCursor<z.infer<typeof WireResponsePage>['data'][number], string>(
      async (cursor) => {
        const page = await ctx.http.request({
          path: '/v1/responses',
          query: { limit: ctx.config.pageSize, ...(cursor !== undefined && { after: cursor }) },
          schema: WireResponsePage,
          operation: 'responses',
          signal,
        });
        // The position advances even on the last page, so the next read starts after it.
        position = page.next_cursor ?? position;
        return { items: page.data, nextCursor: page.has_more && page.next_cursor ? page.next_cursor : undefined };
      },
      { ...(position !== null && { start: position }), ...(signal && { signal }) },
    );
    for await (const page of pages) {
      yield { records: page.items.map(toSurveyResponse), checkpoint: { cursor: position } };
    }
  },
});
