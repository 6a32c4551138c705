import { secret } from '@hmi/core';
import { ConsentOptionsSchema } from '@hmi/core/schemas';
import { z } from 'zod';
import { EmailAddress } from './emails/email-address.js';

/** The SendGrid API origin. */
export const SENDGRID_DEFAULT_BASE_URL = 'https://api.sendgrid.com';

/** A sender: an address, or an address with a display name (`مستشفى الملك فيصل <noreply@…>`). */
export const SendGridSender = z.union([
  EmailAddress,
  z.object({ email: EmailAddress, name: z.string().min(1).max(256).optional() }),
]);
/** A sender. */
export type SendGridSender = z.input<typeof SendGridSender>;

/** The configuration of {@link createSendGridConnector}. `apiKey` is a secret: redacted everywhere. */
export const SendGridConfig = z.object({
  /** A SendGrid API key with the `mail.send` scope (`SG.…`). Sent as a bearer token. */
  apiKey: secret(z.string().min(1)),
  /** The verified sender every email goes out from. */
  from: SendGridSender,
  /**
   * The Signed Event Webhook verification key (Settings → Mail Settings → Event Webhook), base64
   * DER or PEM. Without it the event webhook refuses every request.
   */
  eventWebhookPublicKey: z.string().min(1).optional(),
  /** Allowed clock skew for the event webhook's timestamp, seconds. Default 300. */
  eventWebhookToleranceSec: z.number().int().positive().max(86_400).default(300),
  /** The consent gate's host callbacks: `check` before marketing sends, `onEvent` for opt-outs. */
  consent: ConsentOptionsSchema.optional(),
  /** Default `https://api.sendgrid.com`; `https://api.eu.sendgrid.com` for EU regional subusers. */
  baseUrl: z.string().url().default(SENDGRID_DEFAULT_BASE_URL),
  /** Permit an `http://` baseUrl. Only for loopback tests. */
  allowInsecureHttp: z.boolean().default(false),
  /** Time allowed for one request, ms. Default 30 000. */
  timeoutMs: z.number().int().positive().max(300_000).default(30_000),
});
/** The configuration as callers write it. */
export type SendGridConfigInput = z.input<typeof SendGridConfig>;
/** The configuration after defaults. */
export type SendGridConfig = z.output<typeof SendGridConfig>;
