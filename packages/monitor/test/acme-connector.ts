import {
  defineConnector,
  hmac,
  secret,
  timingSafeEqualString,
  ValidationError,
  WebhookVerificationError,
  webhook,
} from '@hmi/core';
import { z } from 'zod';

/** A test connector whose webhooks are signed like Stripe's: HMAC-SHA256 of the raw body, hex, in a header. */
export const acmeConnector = defineConnector({
  id: 'acme',
  name: 'Acme (test)',
  category: 'other',
  version: '0.0.0',
  config: z.object({ signingSecret: secret(z.string().min(8)) }),
  setup: (config) => ({ secret: config.signingSecret }),
  actions: {},
  webhooks: {
    events: webhook<{ secret: string }>({
      async verify(request, ctx) {
        const given = request.headers.get('x-acme-signature') ?? '';
        if (!timingSafeEqualString(given, hmac('sha256', ctx.secret, request.rawBody))) {
          throw new WebhookVerificationError('signature mismatch');
        }
        const parsed = z
          .object({ id: z.string().min(1), type: z.string(), data: z.unknown() })
          .safeParse(JSON.parse(new TextDecoder().decode(request.rawBody)));
        if (!parsed.success) throw new ValidationError('body is not an Acme event');
        return [{ id: parsed.data.id, type: parsed.data.type, data: parsed.data.data }];
      },
    }),
  },
});

/** A delivery of an event the way Acme sends it. */
export function signedRequest(url: string, signingSecret: string, event: unknown, badSignature = false): Request {
  const body = JSON.stringify(event);
  const signature = hmac('sha256', badSignature ? 'not-the-secret' : signingSecret, body);
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-acme-signature': signature },
    body,
  });
}
