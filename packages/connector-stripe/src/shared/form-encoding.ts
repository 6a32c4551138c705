import { decodeFormBody, type FormValue } from '@hmi/core/internal';

/**
 * Stripe's form encoding, byte for byte what the official `stripe` SDK sends (its
 * `queryStringifyRequestData`): nested objects as `a[b][c]=v`, arrays with indexes `a[0][b]=v`,
 * keys in the caller's insertion order, `null` as an empty value (Stripe's "unset"), booleans as
 * `true`/`false`, Dates as Unix seconds, `undefined` dropped. Values are percent-encoded like `qs`
 * (RFC 3986 plus `!'()*`) while brackets stay readable, which Stripe accepts either way.
 *
 * Written here rather than using URLSearchParams: that encodes spaces as `+` and brackets as
 * `%5B%5D`, which Stripe also accepts but which is not what the SDK sends.
 */
export function encodeStripeForm(data: Readonly<Record<string, unknown>>): string {
  const pairs: string[] = [];
  for (const key of Object.keys(data)) encodeEntry(pairs, key, data[key], 0);
  return pairs.join('&');
}

const MAX_DEPTH = 20;

function encodeEntry(pairs: string[], key: string, value: unknown, depth: number): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || value instanceof Date) {
    pairs.push(`${encodeComponent(key)}=${encodeComponent(scalarToString(value))}`);
    return;
  }
  // A cycle or absurd nesting would otherwise overflow the stack; inputs are schema-validated first.
  if (depth >= MAX_DEPTH) throw new TypeError('form data is nested too deeply');
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (value[i] !== undefined) encodeEntry(pairs, `${key}[${i}]`, value[i], depth + 1);
    }
    return;
  }
  for (const k of Object.keys(value)) encodeEntry(pairs, `${key}[${k}]`, (value as Record<string, unknown>)[k], depth + 1);
}

function scalarToString(value: unknown): string {
  if (value instanceof Date) return Math.floor(value.getTime() / 1000).toString();
  if (value === null) return '';
  return String(value);
}

const NEEDS_EXTRA = /[!'()*[\]%]/;

/** encodeURIComponent, then `!'()*` escaped as qs does, then `[` and `]` restored. */
export function encodeComponent(text: string): string {
  const encoded = encodeURIComponent(text);
  if (!NEEDS_EXTRA.test(encoded)) return encoded;
  return encoded
    .replace(/!/g, '%21')
    .replace(/\*/g, '%2A')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/'/g, '%27')
    .replace(/%5B/g, '[')
    .replace(/%5D/g, ']');
}

/**
 * Decodes a Stripe form body back into nested objects (`a[b][0]=x` → `{ a: { b: ['x'] } }`), every
 * value a string. For tests and MSW handlers; Stripe's own server does the same. It is core's
 * guarded decoder: a key path through `__proto__`, `constructor` or `prototype` is dropped, so no
 * body can pollute `Object.prototype`.
 */
export function decodeStripeForm(body: string): Record<string, FormValue> {
  return decodeFormBody(body);
}
