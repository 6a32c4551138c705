import type { WebhookHandle } from '@hmi/core';

/** What a handshake needs of a webhook: flow's sources may carry only `verify` and `handshake`. */
type HandshakeSource = Pick<WebhookHandle, 'handshake'>;

/**
 * Answers a vendor's subscription handshake (Meta's `GET ?hub.mode=subscribe…`) when the
 * connector's webhook defines one. Undefined means "not a handshake": the caller carries on with
 * its usual POST handling, so vendors without a handshake still get 405 on GET. A handshake that
 * throws is answered 403 without detail: the vendor must not learn why.
 */
export async function answerHandshake(handle: HandshakeSource, request: Request): Promise<Response | undefined> {
  if (!handle.handshake || request.method === 'POST') return undefined;
  try {
    return await handle.handshake({ method: request.method, url: request.url, headers: request.headers });
  } catch {
    return new Response('forbidden', { status: 403, headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } });
  }
}
