import { describe, expect, it } from 'vitest';
import { AbortedError, paginateCursor, paginateNextLink, paginateOffset, parseLinkHeader } from '@hmi/core';

/** Records an argument and returns the page (keeps the fake servers one-liners). */
function logged<A, P>(calls: A[], arg: A, page: P): P {
  calls.push(arg);
  return page;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('paginateCursor', () => {
  it('follows cursors until there is none', async () => {
    const pages: Record<string, { items: number[]; nextCursor?: string }> = {
      start: { items: [1, 2], nextCursor: 'b' },
      b: { items: [3], nextCursor: 'c' },
      c: { items: [] },
    };
    const calls: Array<string | undefined> = [];
    const result = await collect(
      paginateCursor<number>(async (cursor) => {
        calls.push(cursor);
        return pages[cursor ?? 'start']!;
      }),
    );
    expect(result.flatMap((p) => p.items)).toEqual([1, 2, 3]);
    expect(calls).toEqual([undefined, 'b', 'c']);
    expect(result.map((p) => p.cursor)).toEqual([undefined, 'b', 'c']);
  });

  it('resumes from a start cursor', async () => {
    const calls: Array<string | undefined> = [];
    await collect(
      paginateCursor(
        async (c) => {
          calls.push(c);
          return { items: [], nextCursor: undefined };
        },
        { start: 'from-here' },
      ),
    );
    expect(calls).toEqual(['from-here']);
  });

  it('stops with an error when the server repeats a cursor', async () => {
    await expect(collect(paginateCursor(async () => ({ items: [1], nextCursor: 'same' })))).rejects.toMatchObject({
      code: 'pagination_loop',
    });
  });

  it('stops after maxPages and honours an aborted signal', async () => {
    let n = 0;
    await expect(
      collect(paginateCursor(async () => ({ items: [n], nextCursor: String(n++) }), { maxPages: 5 })),
    ).rejects.toMatchObject({
      code: 'pagination_limit',
    });
    expect(n).toBe(5);
    const aborted = await collect(paginateCursor(async () => ({ items: [] }), { signal: AbortSignal.abort() })).catch(
      (e: unknown) => e,
    );
    expect(AbortedError.isInstance(aborted)).toBe(true);
  });
});

describe('paginateNextLink', () => {
  it('follows a FHIR Bundle next link exactly as given', async () => {
    const bundles: Record<string, { entry: number[]; link: Array<{ relation: string; url: string }> }> = {
      first: {
        entry: [1],
        link: [
          { relation: 'self', url: 's' },
          { relation: 'next', url: 'https://fhir.test/Patient?_getpages=x&_getpagesoffset=1' },
        ],
      },
      'https://fhir.test/Patient?_getpages=x&_getpagesoffset=1': { entry: [2], link: [] },
    };
    const pages = await collect(
      paginateNextLink<number>(async (link) => {
        const bundle = bundles[link ?? 'first']!;
        return { items: bundle.entry, next: bundle.link.find((l) => l.relation === 'next')?.url };
      }),
    );
    expect(pages.flatMap((p) => p.items)).toEqual([1, 2]);
    expect(pages[1]!.link).toBe('https://fhir.test/Patient?_getpages=x&_getpagesoffset=1');
  });

  it('detects a loop of next links (A → B → A)', async () => {
    const next: Record<string, string> = { start: 'A', A: 'B', B: 'A' };
    await expect(
      collect(paginateNextLink(async (link) => ({ items: [link], next: next[link ?? 'start'] }))),
    ).rejects.toMatchObject({
      code: 'pagination_loop',
    });
  });

  it('works with Link headers', async () => {
    const headers = [
      '<https://api.test/items?page=2>; rel="next", <https://api.test/items?page=9>; rel="last"',
      '<https://api.test/items?page=1>; rel="prev"',
    ];
    let i = 0;
    const pages = await collect(paginateNextLink(async () => ({ items: [i], next: parseLinkHeader(headers[i++]).next })));
    expect(pages).toHaveLength(2);
  });
});

describe('paginateOffset', () => {
  const data = Array.from({ length: 25 }, (_, i) => i);
  it('reads until a short page', async () => {
    const calls: number[] = [];
    const pages = await collect(
      paginateOffset<number>(async (offset, limit) => logged(calls, offset, { items: data.slice(offset, offset + limit) }), {
        limit: 10,
      }),
    );
    expect(pages.flatMap((p) => p.items)).toEqual(data);
    expect(calls).toEqual([0, 10, 20]);
  });

  it('stops at total even when the last page is full, and at an empty page', async () => {
    const calls: number[] = [];
    await collect(
      paginateOffset<number>(
        async (offset, limit) => logged(calls, offset, { items: data.slice(offset, offset + limit).slice(0, 5), total: 20 }),
        { limit: 5 },
      ),
    );
    expect(calls).toEqual([0, 5, 10, 15]);
    const empty = await collect(paginateOffset(async () => ({ items: [] }), { limit: 10, start: 40 }));
    expect(empty).toEqual([{ items: [], offset: 40 }]);
  });
});

describe('parseLinkHeader', () => {
  it('parses several links, several rels, odd spacing and case', () => {
    const links = parseLinkHeader(
      '<https://a.test/x?a=1,2>; rel="next"  ,<https://a.test/p>;REL=prev; title="Prev" , <https://a.test/f>; rel="first start"',
    );
    expect(links).toEqual({
      next: 'https://a.test/x?a=1,2',
      prev: 'https://a.test/p',
      first: 'https://a.test/f',
      start: 'https://a.test/f',
    });
  });

  it('returns nothing for absent or garbage headers', () => {
    expect(parseLinkHeader(null)).toEqual({});
    expect(parseLinkHeader(undefined)).toEqual({});
    expect(parseLinkHeader('garbage; rel=next')).toEqual({});
    expect(parseLinkHeader('<https://a.test>')).toEqual({});
  });
});
