import { nodeCrypto } from '../internal/builtins.js';

/** Compares two strings in time that does not depend on where they differ. */
export function timingSafeEqualString(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return nodeCrypto().timingSafeEqual(left, right);
}

/** HMAC of `data` with `key`, in the encoding asked for. */
export function hmac(
  algorithm: 'sha1' | 'sha256' | 'sha512',
  key: string | Uint8Array,
  data: string | Uint8Array,
  encoding: 'hex' | 'base64' = 'hex',
): string {
  return nodeCrypto().createHmac(algorithm, key).update(data).digest(encoding);
}
