import { type ConnectorInstanceOptions, defineConnector } from '@hmi/core';
import { z } from 'zod';
import { employees } from './employees/employees-stream.js';
import { createInvoice, getInvoice, postInvoice } from './invoices/invoice-actions.js';
import { invoices } from './invoices/invoices-stream.js';
import { OdooConfig, type OdooConfigInput } from './odoo-config.js';
import type { OdooContext } from './odoo-context.js';
import { classifyOdooError } from './odoo-error.js';
import { createJson2Rpc, createJsonRpc } from './odoo-rpc.js';
import { upsertPartner } from './partners/partner-actions.js';
import { partners } from './partners/partners-stream.js';
import { registerPayment } from './payments/payment-actions.js';
import { payments } from './payments/payments-stream.js';
import { PACKAGE_VERSION } from './version.js';

/**
 * The Odoo ERP connector (contract v1), over Odoo 19's JSON-2 API or Odoo 16–18's JSON-RPC:
 * actions `upsertPartner`, `createInvoice`, `postInvoice`, `getInvoice`, `registerPayment`;
 * streams `invoices`, `payments`, `partners`, `employees`.
 */
export const odooConnector = defineConnector({
  id: 'odoo',
  name: 'Odoo',
  category: 'erp',
  version: PACKAGE_VERSION,
  config: OdooConfig,
  auth: ['api-key'],
  setup(config, runtime): OdooContext {
    // One HTTP client per instance: timeouts, retries, redaction and telemetry come from the core.
    const http = runtime.createHttpClient({
      baseUrl: config.baseUrl,
      // JSON-2 authenticates every call with the key; JSON-RPC carries it inside execute_kw.
      ...(config.protocol === 'json2' && { auth: { type: 'header', name: 'authorization', value: `bearer ${config.apiKey}` } }),
      ...(config.protocol === 'json2' && config.database && { headers: { 'x-odoo-database': config.database } }),
      timeoutMs: config.timeoutMs,
      allowInsecureHttp: config.allowInsecureHttp,
      classifyError: classifyOdooError,
    });
    const rpc = config.protocol === 'json2' ? createJson2Rpc(http, config) : createJsonRpc(http, config);
    return { http, rpc, config, telemetry: runtime.telemetry };
  },
  async check(ctx, signal) {
    await ctx.rpc.call('res.users', 'search_count', {
      params: { domain: [] },
      schema: z.number().int(),
      operation: 'check',
      signal,
    });
  },
  actions: { upsertPartner, createInvoice, postInvoice, getInvoice, registerPayment },
  streams: { invoices, payments, partners, employees },
});

/** A configured Odoo connector. */
export type OdooConnector = ReturnType<typeof odooConnector.create>;

/**
 * Creates an Odoo connector instance; the config is validated (a ConfigError names the bad field,
 * never the API key) and the key registered with the instance's redactor.
 */
export function createOdooConnector(config: OdooConfigInput, options?: ConnectorInstanceOptions): OdooConnector {
  return odooConnector.create(config, options);
}
