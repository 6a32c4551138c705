import { computeTwilioSignature, twilioBodyHash } from '../webhooks/signature.js';

/** Options of {@link signedTwilioWebhook}. */
export interface SignedTwilioWebhookOptions {
  /** The URL Twilio would call (the one configured on the number or Messaging Service). */
  url: string;
  /** Form parameters (a status callback or an inbound SMS). */
  params?: Record<string, string>;
  /** A JSON body instead of form parameters; its SHA-256 goes into the URL's `bodySHA256`. */
  json?: unknown;
  /** The auth token Twilio signs with. */
  authToken: string;
}

/**
 * Builds a Fetch `Request` exactly as Twilio would send it, signed with `X-Twilio-Signature`, for
 * testing webhook endpoints without Twilio.
 */
export function signedTwilioWebhook(options: SignedTwilioWebhookOptions): Request {
  if (options.json !== undefined) {
    const body = JSON.stringify(options.json);
    const url = new URL(options.url);
    url.searchParams.set('bodySHA256', twilioBodyHash(body));
    const signature = computeTwilioSignature(options.authToken, url.href, {});
    return new Request(url.href, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twilio-signature': signature },
      body,
    });
  }
  const params = options.params ?? {};
  const signature = computeTwilioSignature(options.authToken, options.url, params);
  return new Request(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
}
