import { timingSafeEqualString } from '@hmi/core';

// nosniff + text/plain: the echoed challenge can never be rendered as HTML or script.
const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/**
 * Answers Meta's webhook subscription handshake: `GET ?hub.mode=subscribe&hub.verify_token=…&
 * hub.challenge=…`. The token is compared in constant time; a match echoes the challenge as
 * text/plain (200), anything else is 403 without detail. Returns undefined for a request that is
 * not a handshake (not GET, or no `hub.mode`), so POST handling carries on.
 */
export function answerGraphHandshake(
  request: { method: string; url: string },
  verifyToken: string | undefined,
): Response | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  let params: URLSearchParams;
  try {
    params = new URL(request.url).searchParams;
  } catch {
    return undefined;
  }
  if (!params.has('hub.mode')) return undefined;
  const token = params.get('hub.verify_token') ?? '';
  const challenge = params.get('hub.challenge') ?? '';
  const ok =
    !!verifyToken &&
    params.get('hub.mode') === 'subscribe' &&
    timingSafeEqualString(token, verifyToken) &&
    // Meta sends a numeric challenge; it is echoed as given, only bounded in length.
    challenge.length > 0 &&
    challenge.length <= 2048;
  if (!ok) return new Response('forbidden', { status: 403, headers: TEXT });
  return new Response(challenge, { status: 200, headers: TEXT });
}
