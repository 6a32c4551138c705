import { Readable } from 'node:stream';
import { nodeRequestHeaders, nodeRequestUrl, readNodeBody } from '@hmi/core/internal';
import { describe, expect, it } from 'vitest';

/** A Node-like request over the given chunks. */
function req(chunks: string[], extra: Record<string, unknown> = {}, headers: Record<string, string | string[]> = {}) {
  return Object.assign(Readable.from(chunks.map((c) => Buffer.from(c))), { headers, url: '/hook', ...extra });
}

describe('readNodeBody', () => {
  it('reads the socket up to the limit, and one byte more is too large', async () => {
    expect(new TextDecoder().decode((await readNodeBody(req(['نورة', '{}']), 10, 'refuse')) as Uint8Array)).toBe('نورة{}');
    expect(await readNodeBody(req(['نورة', '{}!']), 10, 'refuse')).toBe('too_large');
  });

  it('refuses a declared length over the limit without reading', async () => {
    expect(await readNodeBody(req(['x'], {}, { 'content-length': '11' }), 10, 'refuse')).toBe('too_large');
  });

  it('takes the bytes a framework kept, and applies the limit to them too', async () => {
    const rawBody = Buffer.from('{"a":1}');
    expect(await readNodeBody(req([], { rawBody }), 10, 'refuse')).toBe(rawBody);
    expect(await readNodeBody(req([], { body: 'x'.repeat(11) }), 10, 'refuse')).toBe('too_large');
  });

  it('a parsed body: unavailable where a signature needs the bytes, serialised again otherwise', async () => {
    expect(await readNodeBody(req([], { body: { a: 1 } }), 100, 'refuse')).toBe('unavailable');
    expect(new TextDecoder().decode((await readNodeBody(req([], { body: { a: 1 } }), 100, 'reserialize')) as Uint8Array)).toBe(
      '{"a":1}',
    );
    expect(await readNodeBody(req([], { body: { a: 'x'.repeat(200) } }), 100, 'reserialize')).toBe('too_large');
  });
});

describe('nodeRequestUrl and nodeRequestHeaders', () => {
  it('believes forwarded headers only when told to, and gives undefined for a target no URL is made of', () => {
    const headers = { host: 'crm.example', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'public.example, proxy' };
    expect(nodeRequestUrl(req([], {}, headers))).toBe('http://crm.example/hook');
    expect(nodeRequestUrl(req([], {}, headers), { trustProxy: true })).toBe('https://public.example/hook');
    expect(nodeRequestUrl(req([], { url: 'http://[/x' }, headers))).toBeUndefined();
    expect(nodeRequestUrl(req([], { originalUrl: '/api/hook' }, headers), { useOriginalUrl: false })).toBe(
      'http://crm.example/hook',
    );
    expect(nodeRequestUrl(req([], { originalUrl: '/api/hook' }, headers), { publicOrigin: 'https://h.example' })).toBe(
      'https://h.example/api/hook',
    );
  });

  it('keeps repeated headers and drops HTTP/2 pseudo-headers', () => {
    const h = nodeRequestHeaders({ headers: { ':path': '/x', 'x-a': ['1', '2'], host: 'h' } });
    expect(h.get('x-a')).toBe('1, 2');
    expect([...h.keys()]).toEqual(['host', 'x-a']);
  });
});
