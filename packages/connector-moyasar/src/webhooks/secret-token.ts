import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether the `secret_token` of a delivery equals one of the configured shared secrets. Both sides
 * are hashed (SHA-256) first and the digests compared with `timingSafeEqual`, so neither the
 * content nor the length of the secret shows in the time taken. Never throws.
 */
export function verifyMoyasarSecretToken(received: unknown, secrets: string | readonly string[]): boolean {
  if (typeof received !== 'string' || received.length === 0 || received.length > 1024) return false;
  const digest = createHash('sha256').update(received, 'utf8').digest();
  let ok = false;
  // Every secret is compared (no early exit), so rotation does not leak which one matched.
  for (const secret of [secrets].flat()) {
    if (!secret) continue;
    const expected = createHash('sha256').update(secret, 'utf8').digest();
    ok = timingSafeEqual(digest, expected) || ok;
  }
  return ok;
}
