import { type ConnectorInstanceOptions, defineConnector } from '@hmi/core';
import { createAuthorize, createCharge, retrieveAuthorize, retrieveCharge, voidAuthorize } from './charges/charge-actions.js';
import { charges } from './charges/charges-stream.js';
import { createRefund, retrieveRefund } from './refunds/refund-actions.js';
import { TapConfig, type TapConfigInput } from './tap-config.js';
import type { TapContext } from './tap-context.js';
import { classifyTapError } from './tap-error.js';
import { chargeEvents } from './webhooks/charge-webhook.js';
import { PACKAGE_VERSION } from './version.js';

/** This package's version, reported by connector instances. */
export const TAP_CONNECTOR_VERSION: string = PACKAGE_VERSION;

/**
 * The Tap Payments connector (contract v1): charges and authorizations (idempotent by
 * `reference.idempotent`), void, refunds, the `charges` stream and the `chargeEvents` webhook
 * (`hashstring` verified, charge re-read). Amounts are minor units; KWD, BHD and OMR keep three
 * decimals exactly.
 */
export const tapConnector = defineConnector({
  id: 'tap',
  name: 'Tap Payments',
  category: 'payments',
  version: TAP_CONNECTOR_VERSION,
  config: TapConfig,
  auth: ['bearer'],
  setup(config, runtime): TapContext {
    const http = runtime.createHttpClient({
      baseUrl: config.baseUrl,
      auth: { type: 'bearer', token: config.secretKey },
      timeoutMs: config.timeoutMs,
      allowInsecureHttp: config.allowInsecureHttp,
      classifyError: classifyTapError,
    });
    return { http, config };
  },
  async check(ctx, signal) {
    await ctx.http.request({
      method: 'POST',
      path: '/v2/charges/list',
      json: { period: { date: { from: 0, to: 1 } }, limit: 1 },
      idempotent: true,
      operation: 'check',
      ...(signal && { signal }),
    });
  },
  actions: { createCharge, retrieveCharge, createAuthorize, retrieveAuthorize, voidAuthorize, createRefund, retrieveRefund },
  streams: { charges },
  webhooks: { chargeEvents },
});

/** A configured Tap connector. */
export type TapConnector = ReturnType<typeof tapConnector.create>;

/**
 * Creates a Tap connector instance; the config is validated (a ConfigError names the bad field,
 * never its value) and the secret key is registered with the redactor.
 */
export function createTapConnector(config: TapConfigInput, options?: ConnectorInstanceOptions): TapConnector {
  return tapConnector.create(config, options);
}
