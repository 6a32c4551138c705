/**
 * `@hmi/connector-whatsapp/msw`: a fake Cloud API for MSW, template fixtures, webhook payloads as
 * WhatsApp delivers them, and signed webhook requests — for host apps' tests.
 * @packageDocumentation
 */
import { signGraphPayload } from '@hmi/connector-meta/graph';

export {
  createFakeWhatsAppApi,
  type FakeSentMessage,
  type FakeWhatsAppApi,
  type FakeWhatsAppApiOptions,
  type FakeWhatsAppError,
  type FakeWhatsAppRequest,
  type FakeWhatsAppState,
} from './fake-whatsapp-api.js';
export { FIXTURE_IDS, templateFixtures } from './fixtures.js';
export {
  inboundTextPayload,
  type PayloadOptions,
  quickReplyPayload,
  statusPayload,
  templateStatusPayload,
} from './payloads.js';

/** A webhook delivery signed as Meta signs it (`X-Hub-Signature-256` with the app secret): a Fetch `Request`. */
export function signedWhatsAppWebhook(url: string, payload: unknown, appSecret: string): Request {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signGraphPayload(body, appSecret) },
    body,
  });
}

/** Meta's GET subscription handshake for `url` with `verifyToken` and `challenge`. */
export function whatsAppHandshakeRequest(url: string, verifyToken: string, challenge = '1158201444'): Request {
  const u = new URL(url);
  u.searchParams.set('hub.mode', 'subscribe');
  u.searchParams.set('hub.verify_token', verifyToken);
  u.searchParams.set('hub.challenge', challenge);
  return new Request(u, { method: 'GET' });
}
