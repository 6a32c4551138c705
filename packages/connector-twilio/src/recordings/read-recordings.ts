import { type CallRecord, type StreamPage, paginateNextLink } from '@hmi/core';
import * as v from 'valibot';
import { IsoDateTime, int, pattern, text, upTo, noArrays } from '../schema-kit.js';
import { attributeTwilioCall } from '../calls/attribution.js';
import { checkListUri, msOf } from '../calls/page-uri.js';
import { TwilioCallResource, isoFromTwilio, recordingRef, toCallRecord } from '../calls/twilio-call.js';
import type { TwilioContext } from '../twilio-context.js';

const RecordingSid = () => pattern(/^RE[0-9a-fA-F]{32}$/);

/** A v2010 Recording resource (what the connector reads of it; `media_url` is never read). */
export const TwilioRecordingResource = noArrays(
  v.looseObject({
    sid: RecordingSid(),
    call_sid: v.nullish(upTo(64)),
    status: upTo(32),
    date_created: v.nullish(upTo(64)),
    duration: v.nullish(upTo(16)),
  }),
);
/** A Twilio Recording resource. */
export type TwilioRecordingResource = v.InferOutput<typeof TwilioRecordingResource>;

/** A page of `GET /Recordings.json`. */
export const TwilioRecordingPage = noArrays(
  v.looseObject({
    recordings: v.pipe(v.array(TwilioRecordingResource), v.maxLength(1000)),
    next_page_uri: v.nullish(upTo(4096)),
  }),
);

const MAX_SKIP = 1000;

/**
 * Where a `recordings` read is: `since` (recordings created at or after it, `DateCreated>`) and
 * the recordings already delivered at that instant; within a read, the next page.
 */
export const RecordingsCheckpoint = noArrays(
  v.object({
    /** Read recordings created at or after this instant. */
    since: v.optional(IsoDateTime),
    /** Recording SIDs created at `since` that were already delivered. */
    skip: v.optional(v.pipe(v.array(RecordingSid()), v.maxLength(MAX_SKIP)), []),
    /** Recordings per page, 1–1000. Default 50 (each needs its call read too). */
    pageSize: v.optional(int(1, 1000)),
    /** Within a read: the page to read next, and the newest creation time seen so far. */
    nextPageUri: v.optional(text(1, 4096)),
    newest: v.optional(IsoDateTime),
    newestSids: v.optional(v.pipe(v.array(RecordingSid()), v.maxLength(MAX_SKIP)), []),
  }),
);
/** A `recordings` checkpoint. */
export type RecordingsCheckpoint = v.InferOutput<typeof RecordingsCheckpoint>;

/**
 * Reads completed call recordings as CallRecords of their calls (`GET /Calls/{CallSid}.json` for
 * each), with `recordingUrl` set to an opaque `twilio:recordings/RE…` reference — never the media
 * URL — for `downloadRecording`, and `recordingConsent` from `voice.recordingAnnounced`.
 * Conference recordings (no call) are skipped. A call with two recordings appears twice, once
 * with each (the same `id`: the host keeps one call and both references).
 */
export async function* readRecordings(
  ctx: TwilioContext,
  checkpoint: RecordingsCheckpoint | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<StreamPage<CallRecord, RecordingsCheckpoint>> {
  const since = checkpoint?.since;
  const sinceMs = msOf(since);
  const skip = new Set(checkpoint?.skip ?? []);
  const pageSize = checkpoint?.pageSize ?? 50;
  const resume = checkpoint?.nextPageUri ? checkListUri(checkpoint.nextPageUri, ctx, 'Recordings.json') : undefined;
  let newest = msOf(checkpoint?.newest);
  let newestSids = [...(checkpoint?.newestSids ?? [])];
  const query: Record<string, string | number> = { PageSize: pageSize };
  if (since !== undefined) query['DateCreated>'] = since;
  const pages = paginateNextLink<TwilioRecordingResource>(
    async (link) => {
      const target = link ?? resume;
      const page = await ctx.http.request({
        path: target ? checkListUri(target, ctx, 'Recordings.json') : `${ctx.accountPath}/Recordings.json`,
        ...(target ? {} : { query }),
        schema: TwilioRecordingPage,
        operation: 'listRecordings',
        signal,
      });
      return { items: page.recordings, next: page.next_page_uri ?? undefined };
    },
    { signal },
  );
  for await (const page of pages) {
    const records: CallRecord[] = [];
    const calls = new Map<string, CallRecord>();
    for (const recording of page.items) {
      const created = msOf(isoFromTwilio(recording.date_created));
      if (sinceMs !== undefined && (created === undefined || created < sinceMs)) continue;
      if (skip.has(recording.sid) || recording.status !== 'completed' || !recording.call_sid) continue;
      if (!/^CA[0-9a-fA-F]{32}$/.test(recording.call_sid)) continue;
      let call = calls.get(recording.call_sid);
      if (!call) {
        const resource = await ctx.http.request({
          path: `${ctx.accountPath}/Calls/${recording.call_sid}.json`,
          schema: TwilioCallResource,
          operation: 'getCall',
          signal,
        });
        call = await attributeTwilioCall(toCallRecord(resource), ctx);
        calls.set(recording.call_sid, call);
      }
      records.push({
        ...call,
        recordingUrl: recordingRef(recording.sid),
        ...(ctx.voice.recordingAnnounced !== undefined && { recordingConsent: ctx.voice.recordingAnnounced }),
      });
      if (created !== undefined) {
        if (newest === undefined || created > newest) {
          newest = created;
          newestSids = [];
        }
        if (created === newest) newestSids = [...newestSids, recording.sid].slice(-MAX_SKIP);
      }
    }
    const newestIso = newest === undefined ? undefined : new Date(newest).toISOString();
    if (page.next) {
      yield {
        records,
        checkpoint: {
          ...(since !== undefined && { since }),
          skip: [...skip],
          pageSize,
          nextPageUri: page.next,
          ...(newestIso !== undefined && { newest: newestIso }),
          newestSids,
        },
      };
      continue;
    }
    const sameInstant = newest !== undefined && newest === sinceMs;
    yield {
      records,
      checkpoint: {
        ...((newestIso ?? since) !== undefined && { since: newestIso ?? since }),
        skip:
          newest === undefined ? [...skip] : sameInstant ? [...new Set([...skip, ...newestSids])].slice(-MAX_SKIP) : newestSids,
        pageSize,
        newestSids: [],
      },
    };
  }
}
