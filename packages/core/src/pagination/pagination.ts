import { AbortedError } from '../errors/errors.js';
import { HmiError } from '../errors/hmi-error.js';

/** A page fetched by a pagination helper. */
export interface Page<T> {
  items: T[];
}

/** Guards every paginator: a server that repeats a cursor or never ends cannot hang the caller. */
export interface PaginationGuard {
  /** Stop with an error after this many pages. Default 100 000. */
  maxPages?: number;
  signal?: AbortSignal;
}

function loopError(kind: string): HmiError {
  return new HmiError(`pagination stopped: the server returned the same ${kind} twice`, {
    code: 'pagination_loop',
    retryable: false,
  });
}

function checkGuard(pages: number, guard: PaginationGuard): void {
  if (guard.signal?.aborted) throw new AbortedError(undefined, { operation: 'paginate' });
  if (pages > (guard.maxPages ?? 100_000)) {
    throw new HmiError('pagination stopped: too many pages', { code: 'pagination_limit', retryable: false });
  }
}

/**
 * Cursor pagination (Stripe `starting_after`, Graph `after`): calls `fetchPage(cursor)` until it
 * returns no `nextCursor`.
 */
export async function* paginateCursor<T, Cur = string>(
  fetchPage: (cursor: Cur | undefined) => Promise<Page<T> & { nextCursor?: Cur | undefined }>,
  guard: PaginationGuard & { start?: Cur } = {},
): AsyncGenerator<Page<T> & { cursor: Cur | undefined; nextCursor?: Cur | undefined }> {
  let cursor = guard.start;
  const seen = new Set<string>();
  for (let pages = 1; ; pages++) {
    checkGuard(pages, guard);
    const page = await fetchPage(cursor);
    yield { ...page, cursor };
    if (page.nextCursor === undefined || page.nextCursor === null) return;
    const key = JSON.stringify(page.nextCursor);
    if (seen.has(key)) throw loopError('cursor');
    seen.add(key);
    cursor = page.nextCursor;
  }
}

/**
 * Next-link pagination (FHIR `Bundle.link[next]`, HTTP `Link: <…>; rel="next"`, Twilio
 * `next_page_uri`): follows the link exactly as the server gave it.
 */
export async function* paginateNextLink<T>(
  fetchPage: (link: string | undefined) => Promise<Page<T> & { next?: string | undefined }>,
  guard: PaginationGuard = {},
): AsyncGenerator<Page<T> & { link: string | undefined; next?: string | undefined }> {
  let link: string | undefined;
  const seen = new Set<string>();
  for (let pages = 1; ; pages++) {
    checkGuard(pages, guard);
    const page = await fetchPage(link);
    yield { ...page, link };
    if (!page.next) return;
    if (seen.has(page.next)) throw loopError('next link');
    seen.add(page.next);
    link = page.next;
  }
}

/** Offset pagination: `fetchPage(offset, limit)` until a short or empty page (or `total` is reached). */
export async function* paginateOffset<T>(
  fetchPage: (offset: number, limit: number) => Promise<Page<T> & { total?: number }>,
  options: PaginationGuard & { limit: number; start?: number },
): AsyncGenerator<Page<T> & { offset: number }> {
  let offset = options.start ?? 0;
  for (let pages = 1; ; pages++) {
    checkGuard(pages, options);
    const page = await fetchPage(offset, options.limit);
    yield { ...page, offset };
    offset += page.items.length;
    if (page.items.length === 0 || page.items.length < options.limit) return;
    if (page.total !== undefined && offset >= page.total) return;
  }
}

/** Reads the `rel="next"` target of an RFC 8288 `Link` header. */
export function parseLinkHeader(header: string | null | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*(.*)$/.exec(part);
    if (!match) continue;
    const [, url = '', params = ''] = match;
    const rel = /(?:^|;)\s*rel\s*=\s*"?([^";]+)"?/i.exec(params)?.[1];
    if (rel) for (const r of rel.trim().split(/\s+/)) links[r.toLowerCase()] = url;
  }
  return links;
}
