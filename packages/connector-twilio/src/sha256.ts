import type * as Crypto from 'node:crypto';

/**
 * The lower-case hex SHA-256 of `data` (a string is hashed as UTF-8). `node:crypto` is loaded on
 * first use, not at import: loading it costs ~7 ms of every serverless cold start (issue 22), and
 * a function that only sends SMS never hashes. `process.getBuiltinModule` (Node ≥ 20.16) returns
 * the module a static import would, cached by Node after the first call.
 */
export function sha256Hex(data: string | Uint8Array): string {
  const crypto: typeof Crypto = process.getBuiltinModule('node:crypto');
  return crypto.createHash('sha256').update(data).digest('hex');
}
