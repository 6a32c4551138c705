import { type Message, type StreamPage, ValidationError, paginateNextLink, phi } from '@hmi/core';
import * as v from 'valibot';
import { int, pattern, text, noArrays } from '../schema-kit.js';
import type { TwilioContext } from '../twilio-context.js';
import { normaliseRecipient } from './send-sms.js';
import { TwilioMessagePage, TwilioMessageResource, toCanonicalMessage } from './twilio-message.js';

/** Input of `getMessage`. */
export const GetMessageInput = noArrays(
  v.object({
    /** The Message SID (`SM…` or `MM…`). */
    sid: pattern(/^(SM|MM)[0-9a-fA-F]{32}$/, 'expected a Message SID'),
  }),
);

/** Reads one message. */
export async function getMessage(sid: string, ctx: TwilioContext, signal: AbortSignal | undefined): Promise<Message> {
  const resource = await ctx.http.request({
    path: `${ctx.accountPath}/Messages/${sid}.json`,
    schema: TwilioMessageResource,
    operation: 'getMessage',
    signal,
  });
  return toCanonicalMessage(resource);
}

const IsoDay = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  v.check((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'expected a real date'),
);

/** Which messages `listMessages` reads. Dates are GMT days, as Twilio filters them. */
export const ListMessagesFilter = noArrays(
  v.object({
    /** Messages sent on this day (`DateSent`). */
    sentOn: v.optional(IsoDay),
    /** Messages sent on or after this day (`DateSent>`). */
    sentOnOrAfter: v.optional(IsoDay),
    /** Messages sent on or before this day (`DateSent<`). */
    sentOnOrBefore: v.optional(IsoDay),
    /** Only messages to this number (normalised with `defaultRegion`). */
    to: v.optional(phi(text(1, 64))),
    /** Only messages from this number or sender. */
    from: v.optional(phi(text(1, 64))),
    /** Messages per page, 1–1000. Default 100. */
    pageSize: v.optional(int(1, 1000)),
  }),
);
/** Which messages `listMessages` reads. */
export type ListMessagesFilter = v.InferOutput<typeof ListMessagesFilter>;

/**
 * Where a `listMessages` read is. Start a filtered read with `{ filter }` alone; every page returns
 * `{ filter, nextPageUri }`, and `nextPageUri: null` means the read is complete.
 */
export const ListMessagesCheckpoint = noArrays(
  v.object({
    filter: v.optional(ListMessagesFilter, {}),
    /** Twilio's `next_page_uri` (it carries the PageToken); null after the last page. */
    nextPageUri: v.nullish(text(1, 4096)),
  }),
);
/** A `listMessages` checkpoint. */
export type ListMessagesCheckpoint = v.InferOutput<typeof ListMessagesCheckpoint>;

function firstPageQuery(filter: ListMessagesFilter, ctx: TwilioContext): Record<string, string | number> {
  const query: Record<string, string | number> = { PageSize: filter.pageSize ?? 100 };
  if (filter.sentOn) query.DateSent = filter.sentOn;
  if (filter.sentOnOrAfter) query['DateSent>'] = filter.sentOnOrAfter;
  if (filter.sentOnOrBefore) query['DateSent<'] = filter.sentOnOrBefore;
  if (filter.to) query.To = normaliseRecipient(filter.to, ctx, 'filter.to');
  if (filter.from) {
    // A sender may be an alphanumeric ID or a short code rather than a phone number.
    const looksLikePhone = /^\+?[\d\s()-]+$/.test(filter.from) && filter.from.replace(/\D/g, '').length > 8;
    query.From = looksLikePhone ? normaliseRecipient(filter.from, ctx, 'filter.from') : filter.from;
  }
  return query;
}

/** A next-page link must stay on this account's Messages list: a stored checkpoint is input too. */
function checkPageUri(uri: string, ctx: TwilioContext): string {
  let path = uri;
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) {
    try {
      path = new URL(uri).pathname;
    } catch {
      path = '';
    }
  }
  if (!path.startsWith(`${ctx.accountPath}/Messages.json`)) {
    throw new ValidationError('nextPageUri is not a page of this account’s Messages list', {
      connector: ctx.connector,
      code: 'invalid_checkpoint',
      issues: [{ path: ['nextPageUri'], code: 'invalid_value', message: 'value not allowed' }],
    });
  }
  return uri;
}

/**
 * Reads the account's messages newest first, following Twilio's `next_page_uri`, for delivery
 * reconciliation (after a send whose outcome is unknown, read the day's messages to the number).
 */
export async function* readMessages(
  ctx: TwilioContext,
  checkpoint: ListMessagesCheckpoint | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<StreamPage<Message, ListMessagesCheckpoint>> {
  const filter = checkpoint?.filter ?? {};
  if (checkpoint?.nextPageUri === null) return;
  const resume = checkpoint?.nextPageUri ? checkPageUri(checkpoint.nextPageUri, ctx) : undefined;
  const query = resume ? undefined : firstPageQuery(filter, ctx);
  const pages = paginateNextLink<TwilioMessageResource>(
    async (link) => {
      const target = link ?? resume;
      const page = await ctx.http.request({
        path: target ? checkPageUri(target, ctx) : `${ctx.accountPath}/Messages.json`,
        ...(target ? {} : { query }),
        schema: TwilioMessagePage,
        operation: 'listMessages',
        signal,
      });
      return { items: page.messages, next: page.next_page_uri ?? undefined };
    },
    { signal },
  );
  for await (const page of pages) {
    yield {
      records: page.items.map((resource) => toCanonicalMessage(resource)),
      checkpoint: { filter, nextPageUri: page.next ?? null },
    };
  }
}
