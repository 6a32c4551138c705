import { HmiError } from '../errors/hmi-error.js';
import type { QueryValue } from './types.js';

/** Appends query parameters; arrays repeat the key and undefined/null values are dropped. */
export function appendQuery(params: URLSearchParams, query: Record<string, QueryValue> | URLSearchParams): void {
  if (query instanceof URLSearchParams) {
    for (const [k, v] of query) params.append(k, v);
    return;
  }
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
}

/** Encodes a form body the same way. */
export function toFormBody(form: Record<string, QueryValue> | URLSearchParams): URLSearchParams {
  if (form instanceof URLSearchParams) return form;
  const params = new URLSearchParams();
  appendQuery(params, form);
  return params;
}

/**
 * Resolves `path` below `base` (keeping the base's own path, unlike `new URL(path, base)`), or
 * accepts an absolute URL on the same origin. Another origin is refused so credentials never leak
 * to a host the client was not configured for. A `#` in the path is part of the path, not a
 * fragment; a query in `path` replaces the base's own query.
 */
export function resolveUrl(base: URL, path: string): URL {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
    const absolute = new URL(path);
    if (absolute.origin !== base.origin) {
      throw new HmiError('refusing to send credentials to another origin', { code: 'cross_origin_url', retryable: false });
    }
    return absolute;
  }
  const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  const q = path.indexOf('?');
  const pathPart = (q >= 0 ? path.slice(0, q) : path).replace(/^\/+/, '').replace(/#/g, '%23');
  const search = q >= 0 ? `?${path.slice(q + 1)}` : base.search;
  // One parse of the whole string: cheaper than setting pathname and search on a copy.
  return new URL(`${base.origin}${basePath}${pathPart}${search}`);
}
