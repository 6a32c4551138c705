// The one redirect rule of every transport, on its own (issue 11 #1: downgrades and other origins).
import { describe, expect, it } from 'vitest';
import { type Hop, MAX_REDIRECTS, nextHop } from '../src/http/redirect.js';

const always = () => true;
function hop(url: string, method = 'GET', body?: string): Hop<string> {
  return {
    method,
    url: new URL(url),
    body,
    headers: { authorization: 'Bearer t', 'x-api-key': 'k', cookie: 'c', 'x-tenant': 'n', 'content-type': 'application/json' },
  };
}

describe('nextHop', () => {
  it('keeps every header on the same origin', () => {
    const next = nextHop(hop('https://a.test/x'), 302, '/y', 0, ['x-api-key'], always);
    expect(next?.url.href).toBe('https://a.test/y');
    expect(next?.headers).toMatchObject({ authorization: 'Bearer t', 'x-api-key': 'k' });
  });

  it('drops every credential header when leaving the origin (host or port), keeps the rest', () => {
    for (const target of ['https://b.test/y', 'https://a.test:8443/y', 'https://sub.a.test/y']) {
      const next = nextHop(hop('https://a.test/x'), 307, target, 0, ['X-Api-Key'], always);
      expect(next?.headers).toEqual({ 'x-tenant': 'n', 'content-type': 'application/json' });
    }
  });

  it('does not change the headers of the hop it came from', () => {
    const first = hop('https://a.test/x');
    nextHop(first, 302, 'https://b.test/', 0, ['x-api-key'], always);
    expect(first.headers['x-api-key']).toBe('k');
  });

  it('never follows an https → http downgrade, nor other schemes, bad locations or too many hops', () => {
    expect(nextHop(hop('https://a.test/x'), 302, 'http://a.test/y', 0, [], always)).toBeUndefined();
    expect(nextHop(hop('https://a.test/x'), 302, 'http://b.test/y', 0, [], always)).toBeUndefined();
    expect(nextHop(hop('https://a.test/x'), 302, 'file:///etc/passwd', 0, [], always)).toBeUndefined();
    expect(nextHop(hop('https://a.test/x'), 302, 'http://[', 0, [], always)).toBeUndefined();
    expect(nextHop(hop('https://a.test/x'), 302, undefined, 0, [], always)).toBeUndefined();
    expect(nextHop(hop('https://a.test/x'), 200, '/y', 0, [], always)).toBeUndefined();
    expect(nextHop(hop('https://a.test/x'), 302, '/y', MAX_REDIRECTS, [], always)).toBeUndefined();
    expect(nextHop(hop('https://a.test/x'), 302, '/y', MAX_REDIRECTS - 1, [], always)).toBeDefined();
    // http → https is an upgrade: followed (credentials dropped: another origin).
    expect(nextHop(hop('http://a.test/x'), 302, 'https://a.test/y', 0, [], always)?.headers.authorization).toBeUndefined();
  });

  it('303 (and 301/302 after POST) continue as GET without a body; 307/308 resend the body', () => {
    const post = hop('https://a.test/x', 'POST', '{"a":1}');
    expect(nextHop(post, 303, '/y', 0, [], always)).toMatchObject({ method: 'GET', body: undefined });
    expect(nextHop(post, 303, '/y', 0, [], always)?.headers['content-type']).toBeUndefined();
    expect(nextHop(post, 302, '/y', 0, [], always)).toMatchObject({ method: 'GET', body: undefined });
    expect(nextHop(post, 307, '/y', 0, [], always)).toMatchObject({ method: 'POST', body: '{"a":1}' });
    expect(nextHop(hop('https://a.test/x', 'PUT', 'b'), 302, '/y', 0, [], always)).toMatchObject({ method: 'PUT', body: 'b' });
    expect(nextHop(hop('https://a.test/x', 'HEAD'), 303, '/y', 0, [], always)?.method).toBe('HEAD');
  });

  it('stops at a 307 whose body cannot be sent again', () => {
    expect(nextHop(hop('https://a.test/x', 'POST', 'stream'), 307, '/y', 0, [], () => false)).toBeUndefined();
  });
});
