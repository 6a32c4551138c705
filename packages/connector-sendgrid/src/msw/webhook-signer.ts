import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { SENDGRID_SIGNATURE_HEADER, SENDGRID_TIMESTAMP_HEADER } from '../webhooks/verify-signature.js';

/** Signs Event Webhook requests the way SendGrid does, with a fresh P-256 key. For tests. */
export interface SendGridWebhookSigner {
  /** The verification key to configure (`eventWebhookPublicKey`): base64 DER, as SendGrid shows it. */
  publicKey: string;
  /** The private key (tests only). */
  privateKey: KeyObject;
  /** Signs `timestamp + payload` and returns the two headers. */
  sign(payload: string | Uint8Array, timestamp?: number): Record<string, string>;
  /** A signed POST of `events` as SendGrid sends them (JSON array, CRLF-terminated). */
  request(events: unknown[], options?: { url?: string; timestamp?: number }): Request;
}

/** The raw body SendGrid would post for `events`: one event per line, CRLF separators and terminator. */
export function eventWebhookBody(events: unknown[]): string {
  return `[${events.map((e) => JSON.stringify(e)).join(',\r\n')}]\r\n`;
}

/** Creates a signer with a new P-256 key pair. */
export function createSendGridWebhookSigner(): SendGridWebhookSigner {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const signWith = (payload: string | Uint8Array, timestamp = Math.floor(Date.now() / 1000)) => {
    const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
    const signature = sign('sha256', Buffer.concat([Buffer.from(String(timestamp)), bytes]), {
      key: privateKey,
      dsaEncoding: 'der',
    });
    return { [SENDGRID_SIGNATURE_HEADER]: signature.toString('base64'), [SENDGRID_TIMESTAMP_HEADER]: String(timestamp) };
  };
  return {
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    privateKey,
    sign: signWith,
    request(events, options = {}) {
      const body = eventWebhookBody(events);
      return new Request(options.url ?? 'https://crm.example/webhooks/sendgrid', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signWith(body, options.timestamp) },
        body,
      });
    },
  };
}
