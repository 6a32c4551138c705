import { ApiError, type HttpClient, type QueryValue } from '@hmi/core';
import { z } from 'zod';

/** The `paging` object of a Graph list: cursors and the `next`/`previous` links. */
export const GraphPaging = z
  .object({
    cursors: z.object({ before: z.string().max(2048).optional(), after: z.string().max(2048).optional() }).optional(),
    next: z.string().max(8192).optional(),
    previous: z.string().max(8192).optional(),
  })
  .optional();

/** A Graph list response of `item`s. */
export function graphPage<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), paging: GraphPaging });
}

/** Options of {@link paginateGraph}. */
export interface PaginateGraphOptions<T> {
  /** The edge, relative to the versioned base: `act_123/insights`. */
  path: string;
  query?: Record<string, QueryValue>;
  /** Validates each item. */
  item: z.ZodType<T>;
  /**
   * The configured Graph origin (`https://graph.facebook.com`). A `next` link elsewhere is refused
   * with ApiError `foreign_next_link` before any request: a compromised or spoofed page must not
   * steer the access token to another host.
   */
  graphOrigin: string;
  /** Resume after this cursor (`paging.cursors.after` of an earlier page). */
  after?: string;
  operation?: string;
  signal?: AbortSignal;
  /** Stop after this many pages (bounded work). Default 10 000. */
  maxPages?: number;
  /** Headers for every page's request (e.g. another token's Authorization on a client without auth). */
  headers?: Record<string, string>;
}

/** One page: its items and the cursor to resume after it. */
export interface GraphPageResult<T> {
  items: T[];
  /** `paging.cursors.after`, when Meta gave one. */
  after: string | undefined;
}

/** Query keys never copied from a `next` link: the token travels in the Authorization header. */
const CREDENTIAL_PARAMS = ['access_token', 'appsecret_proof'];

/**
 * Pages through a Graph list: the first request is `path` with `query` (and `after`), each next one
 * follows `paging.next` (only on the configured origin; credentials in its query are dropped). Stops
 * when Meta gives no `next`, at `maxPages`, or when a `next` repeats (a loop would never end).
 */
export async function* paginateGraph<T>(http: HttpClient, options: PaginateGraphOptions<T>): AsyncGenerator<GraphPageResult<T>> {
  const schema = graphPage(options.item);
  const origin = new URL(options.graphOrigin).origin;
  const maxPages = options.maxPages ?? 10_000;
  const seen = new Set<string>();
  let target: { path: string; query?: Record<string, QueryValue> } | undefined = {
    path: options.path,
    query: { ...options.query, ...(options.after !== undefined && { after: options.after }) },
  };
  for (let page = 0; target && page < maxPages; page++) {
    const body: { data: unknown[]; paging?: z.infer<typeof GraphPaging> } = await http.request({
      ...target,
      schema,
      ...(options.operation && { operation: options.operation }),
      ...(options.signal && { signal: options.signal }),
      ...(options.headers && { headers: options.headers }),
    });
    yield { items: body.data as T[], after: body.paging?.cursors?.after };
    const next: string | undefined = body.paging?.next;
    if (!next || body.data.length === 0) return;
    target = { path: safeNext(next, origin, options.operation) };
    if (seen.has(target.path)) return;
    seen.add(target.path);
  }
}

/** The `next` link as an absolute URL on `origin` without credentials, or a typed error. */
function safeNext(next: string, origin: string, operation: string | undefined): string {
  let url: URL;
  try {
    url = new URL(next);
  } catch {
    throw new ApiError('Graph paging.next is not a URL', { code: 'invalid_next_link', retryable: false, operation });
  }
  if (url.origin !== origin || url.username || url.password) {
    throw new ApiError('Graph paging.next points at another origin: not followed', {
      code: 'foreign_next_link',
      retryable: false,
      operation,
    });
  }
  for (const key of CREDENTIAL_PARAMS) url.searchParams.delete(key);
  url.hash = '';
  return url.toString();
}
