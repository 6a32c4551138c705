import { type CallRecord, type StreamPage, paginateNextLink } from '@hmi/core';
import * as v from 'valibot';
import { IsoDateTime, finite, int, pattern, text, noArrays } from '../schema-kit.js';
import type { TwilioContext } from '../twilio-context.js';
import { attributeTwilioCall } from './attribution.js';
import { checkListUri, msOf } from './page-uri.js';
import { TwilioCallPage, TwilioCallResource, isoFromTwilio, toCallRecord } from './twilio-call.js';

/** Input of `getCall`. */
export const GetCallInput = noArrays(
  v.object({
    /** The Call SID (`CA…`). */
    sid: pattern(/^CA[0-9a-fA-F]{32}$/, 'expected a Call SID'),
  }),
);

/** Reads one call as a CallRecord (attributed: E.164, contact, campaign). */
export async function getCall(sid: string, ctx: TwilioContext, signal: AbortSignal | undefined): Promise<CallRecord> {
  const resource = await ctx.http.request({
    path: `${ctx.accountPath}/Calls/${sid}.json`,
    schema: TwilioCallResource,
    operation: 'getCall',
    signal,
  });
  return attributeTwilioCall(toCallRecord(resource), ctx);
}

/** At most this many call SIDs are carried in a checkpoint to refuse repeats at the boundary. */
const MAX_SKIP = 1000;

/**
 * Where a `calls` read is. Start with `{}` (every call) or `{ since }`; each page returns the
 * checkpoint to resume from. After the last page the checkpoint is the start of the next
 * incremental read: `since` is the start time of the newest finished call (or of the oldest call
 * still in progress, so it is read again once finished) and `skip` the calls already delivered
 * at or after it.
 */
export const CallsCheckpoint = noArrays(
  v.object({
    /** Read calls that started at or after this instant (`StartTime>` — the URL's `StartTime>=`). */
    since: v.optional(IsoDateTime),
    /** Call SIDs at or after `since` that were already delivered. */
    skip: v.optional(v.pipe(v.array(pattern(/^CA[0-9a-fA-F]{32}$/)), v.maxLength(MAX_SKIP)), []),
    /** Calls per page, 1–1000. Default 100. */
    pageSize: v.optional(int(1, 1000)),
    /** Within a read: Twilio's `next_page_uri` of the page to read next. */
    nextPageUri: v.optional(text(1, 4096)),
    /** Within a read: what the next read will start from, so far. */
    pending: v.optional(
      noArrays(
        v.object({
          newest: v.optional(IsoDateTime),
          oldestOpen: v.optional(IsoDateTime),
          delivered: v.optional(v.pipe(v.array(v.strictTuple([v.string(), finite()])), v.maxLength(MAX_SKIP)), []),
        }),
      ),
    ),
  }),
);
/** A `calls` checkpoint. */
export type CallsCheckpoint = v.InferOutput<typeof CallsCheckpoint>;

/**
 * Reads finished calls (completed, busy, no-answer, canceled, failed) started since the
 * checkpoint, following `next_page_uri`, as attributed CallRecords. One record per call: child
 * legs (`parent_call_sid`: the agent leg a `<Dial>` opens) are part of their parent's call and
 * are not records of their own; calls still ringing or in progress wait for a later read.
 */
export async function* readCalls(
  ctx: TwilioContext,
  checkpoint: CallsCheckpoint | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<StreamPage<CallRecord, CallsCheckpoint>> {
  const since = checkpoint?.since;
  const sinceMs = msOf(since);
  const skip = new Set(checkpoint?.skip ?? []);
  const pageSize = checkpoint?.pageSize ?? 100;
  const resume = checkpoint?.nextPageUri ? checkListUri(checkpoint.nextPageUri, ctx, 'Calls.json') : undefined;
  let newest = msOf(checkpoint?.pending?.newest);
  let oldestOpen = msOf(checkpoint?.pending?.oldestOpen);
  let delivered: [string, number][] = [...(checkpoint?.pending?.delivered ?? [])];
  const query: Record<string, string | number> = { PageSize: pageSize };
  if (since !== undefined) query['StartTime>'] = since;

  const pages = paginateNextLink<TwilioCallResource>(
    async (link) => {
      const target = link ?? resume;
      const page = await ctx.http.request({
        path: target ? checkListUri(target, ctx, 'Calls.json') : `${ctx.accountPath}/Calls.json`,
        ...(target ? {} : { query }),
        schema: TwilioCallPage,
        operation: 'listCalls',
        signal,
      });
      return { items: page.calls, next: page.next_page_uri ?? undefined };
    },
    { signal },
  );
  for await (const page of pages) {
    const records: CallRecord[] = [];
    for (const call of page.items) {
      if (call.parent_call_sid) continue;
      const started = msOf(isoFromTwilio(call.start_time));
      // Twilio may compare StartTime by day: the instant is enforced here.
      if (sinceMs !== undefined && (started === undefined || started < sinceMs)) continue;
      if (call.status === 'queued' || call.status === 'ringing' || call.status === 'in-progress') {
        if (started !== undefined) oldestOpen = Math.min(oldestOpen ?? started, started);
        continue;
      }
      // A call delivered by an earlier read still counts towards where the next read starts.
      if (!skip.has(call.sid)) records.push(await attributeTwilioCall(toCallRecord(call), ctx));
      if (started !== undefined) {
        newest = Math.max(newest ?? started, started);
        delivered.push([call.sid, started]);
        if (delivered.length > MAX_SKIP) delivered = delivered.slice(-MAX_SKIP);
      }
    }
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
    if (page.next) {
      yield {
        records,
        checkpoint: {
          ...(since !== undefined && { since }),
          skip: [...skip],
          pageSize,
          nextPageUri: page.next,
          pending: {
            ...(newest !== undefined && { newest: iso(newest) }),
            ...(oldestOpen !== undefined && { oldestOpen: iso(oldestOpen) }),
            delivered,
          },
        },
      };
      continue;
    }
    // The last page: the next read starts where nothing can be missed.
    const nextSinceMs =
      newest === undefined ? (oldestOpen ?? sinceMs) : oldestOpen === undefined ? newest : Math.min(newest, oldestOpen);
    const nextSkip =
      nextSinceMs === undefined
        ? []
        : delivered
            .filter(([, start]) => start >= nextSinceMs)
            .map(([sid]) => sid)
            .slice(-MAX_SKIP);
    yield {
      records,
      checkpoint: { ...(nextSinceMs !== undefined && { since: iso(nextSinceMs) }), skip: nextSkip, pageSize },
    };
  }
}
