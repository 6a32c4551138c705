import { sendGridKit } from './sendgrid-context.js';
import { type ConnectorInstanceOptions, createConsentGate, defineConnector } from '@hmi/core';
import { z } from 'zod';
import { toAddress } from './emails/mail-body.js';
import { SendEmailInput, SendEmailResult } from './emails/mail-schemas.js';
import { runSendEmail } from './emails/send-email.js';
import { SendGridConfig, type SendGridConfigInput } from './sendgrid-config.js';
import type { SendGridContext } from './sendgrid-context.js';
import { classifySendGridError } from './sendgrid-error.js';
import { runSendTemplatedEmail, SendTemplatedEmailInput, SendTemplatedEmailResult } from './templates/send-templated-email.js';
import { eventWebhook } from './webhooks/event-webhook.js';
import { parseSendGridPublicKey } from './webhooks/verify-signature.js';
import { PACKAGE_VERSION } from './version.js';

/** The connector package's version. */
export const SENDGRID_CONNECTOR_VERSION: string = PACKAGE_VERSION;

/**
 * The SendGrid connector definition (contract v1): actions `sendEmail` and `sendTemplatedEmail`,
 * webhook `events`. Most code wants {@link createSendGridConnector}.
 */
export const sendGridConnector = defineConnector({
  id: 'sendgrid',
  name: 'SendGrid',
  category: 'messaging',
  version: SENDGRID_CONNECTOR_VERSION,
  auth: ['bearer'],
  config: SendGridConfig,
  setup(config, runtime): SendGridContext {
    const publicKey = config.eventWebhookPublicKey ? parseSendGridPublicKey(config.eventWebhookPublicKey) : undefined;
    return {
      http: runtime.createHttpClient({
        baseUrl: config.baseUrl,
        allowInsecureHttp: config.allowInsecureHttp,
        auth: { type: 'bearer', token: config.apiKey },
        timeoutMs: config.timeoutMs,
        classifyError: classifySendGridError,
        requestIdHeaders: ['x-message-id', 'x-request-id'],
      }),
      from: toAddress(config.from),
      gate: createConsentGate(config.consent ?? {}, runtime.connector),
      publicKey,
      publicKeyInvalid: config.eventWebhookPublicKey !== undefined && publicKey === undefined,
      toleranceSec: config.eventWebhookToleranceSec,
      connector: runtime.connector,
      now: () => new Date(),
    };
  },
  async check(ctx, signal) {
    // /v3/scopes lists the key's own permissions: cheap, read-only, and proves the key works.
    await ctx.http.request({
      path: '/v3/scopes',
      operation: 'check',
      schema: z.object({ scopes: z.array(z.string()) }),
      ...(signal && { signal }),
    });
  },
  actions: {
    /** Sends one email to one or many recipients (one personalization each, 1000 per request). */
    sendEmail: sendGridKit.action({
      description: 'Send an email (v3 mail/send); marketing passes the consent gate and needs an unsubscribe group',
      idempotent: false,
      input: SendEmailInput,
      output: SendEmailResult,
      run: runSendEmail,
    }),
    /** Sends a bilingual (Arabic/English) email, each recipient in their own language. */
    sendTemplatedEmail: sendGridKit.action({
      description: 'Send an Arabic/English email, picking each recipient’s language; Arabic HTML is marked rtl',
      idempotent: false,
      input: SendTemplatedEmailInput,
      output: SendTemplatedEmailResult,
      run: runSendTemplatedEmail,
    }),
  },
  webhooks: {
    events: eventWebhook,
  },
});

/** A configured SendGrid connector instance. */
export type SendGridConnector = ReturnType<typeof sendGridConnector.create>;

/**
 * Creates a SendGrid connector.
 *
 * @example
 * const sendgrid = createSendGridConnector({
 *   apiKey: process.env.SENDGRID_API_KEY!,
 *   from: { email: 'noreply@hospital.example', name: 'مستشفى المثال' },
 *   consent: { check: async ({ recipient, purpose }) => crm.hasConsent(recipient, 'email', purpose) },
 * });
 * const { messages } = await sendgrid.actions.sendEmail({
 *   to: 'patient@example.com', subject: 'تذكير بموعدك', text: 'موعدك غداً الساعة 10:00', purpose: 'transactional',
 * });
 */
export function createSendGridConnector(config: SendGridConfigInput, options?: ConnectorInstanceOptions): SendGridConnector {
  return sendGridConnector.create(config, options);
}

/**
 * Sends a bilingual email through a connector: the same as `connector.actions.sendTemplatedEmail`,
 * as a function for code that passes connectors around.
 */
export function sendTemplatedEmail(
  connector: SendGridConnector,
  input: Parameters<SendGridConnector['actions']['sendTemplatedEmail']>[0],
  options?: Parameters<SendGridConnector['actions']['sendTemplatedEmail']>[1],
): ReturnType<SendGridConnector['actions']['sendTemplatedEmail']> {
  return connector.actions.sendTemplatedEmail(input, options);
}
