import { type ConnectorInstanceOptions, defineConnector } from '@hmi/core';
import { z } from 'zod';
import { createInvoice, fetchInvoice, listInvoices } from './invoices/invoice-actions.js';
import { MoyasarConfig, type MoyasarConfigInput } from './moyasar-config.js';
import type { MoyasarContext } from './moyasar-context.js';
import { classifyMoyasarError } from './moyasar-error.js';
import { createPayment } from './payments/create-payment.js';
import { capturePayment, fetchPayment, listPayments, refundPayment, voidPayment } from './payments/payment-actions.js';
import { payments } from './payments/payments-stream.js';
import { paymentEvents } from './webhooks/payment-webhook.js';
import { PACKAGE_VERSION } from './version.js';

/** This package's version, reported by connector instances. */
export const MOYASAR_CONNECTOR_VERSION: string = PACKAGE_VERSION;

/**
 * The Moyasar connector (contract v1): payments (create by card token, Apple Pay or STC Pay with
 * `given_id` idempotency; fetch, list, refund, capture, void), invoices (hosted payment links), the
 * `payments` stream and the `paymentEvents` webhook. Amounts are minor units end to end.
 */
export const moyasarConnector = defineConnector({
  id: 'moyasar',
  name: 'Moyasar',
  category: 'payments',
  version: MOYASAR_CONNECTOR_VERSION,
  config: MoyasarConfig,
  auth: ['basic'],
  setup(config, runtime): MoyasarContext {
    const http = runtime.createHttpClient({
      baseUrl: config.baseUrl,
      // Moyasar: the secret key is the Basic-auth user name, the password is empty.
      auth: { type: 'basic', username: config.secretKey, password: '' },
      timeoutMs: config.timeoutMs,
      allowInsecureHttp: config.allowInsecureHttp,
      classifyError: classifyMoyasarError,
      // Moyasar sits behind Cloudflare, which refuses some default user agents with a 403.
      headers: { 'user-agent': `hmi-connector-moyasar/${MOYASAR_CONNECTOR_VERSION}` },
    });
    const secrets = config.webhookSecret === undefined ? [] : [config.webhookSecret].flat();
    return { http, config, webhookSecrets: Object.freeze(secrets) };
  },
  async check(ctx, signal) {
    await ctx.http.request({
      path: '/v1/payments',
      query: { page: 1 },
      operation: 'check',
      schema: z.looseObject({ payments: z.array(z.unknown()) }),
      ...(signal && { signal }),
    });
  },
  actions: {
    createPayment,
    fetchPayment,
    listPayments,
    refundPayment,
    capturePayment,
    voidPayment,
    createInvoice,
    fetchInvoice,
    listInvoices,
  },
  streams: { payments },
  webhooks: { paymentEvents },
});

/** A configured Moyasar connector. */
export type MoyasarConnector = ReturnType<typeof moyasarConnector.create>;

/**
 * Creates a Moyasar connector instance; the config is validated (a ConfigError names the bad
 * field, never its value) and `secretKey` / `webhookSecret` are registered with the redactor.
 */
export function createMoyasarConnector(config: MoyasarConfigInput, options?: ConnectorInstanceOptions): MoyasarConnector {
  return moyasarConnector.create(config, options);
}
