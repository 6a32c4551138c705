import { secret } from '@hmi/core';
import { z } from 'zod';

/** Which Odoo external API the connector speaks. */
export const OdooProtocol = z.enum(['json2', 'jsonrpc']);
/** `json2`: Odoo 19's `/json/2/<model>/<method>`; `jsonrpc`: Odoo 16–18's `/jsonrpc` `execute_kw`. */
export type OdooProtocol = z.infer<typeof OdooProtocol>;

/**
 * Config of the Odoo connector. `secret()` marks the API key: `defineConnector` registers it with
 * the instance's redactor, and a bad config is a ConfigError that names the field, never its value.
 */
export const OdooConfig = z
  .object({
    /** The Odoo server, e.g. `https://erp.hospital.example` (no path). */
    baseUrl: z.string().url(),
    /**
     * The database name. Sent as `X-Odoo-Database` on JSON-2 (needed when one server hosts several
     * databases) and as the first `execute_kw` argument on JSON-RPC, where it is required.
     */
    database: z.string().min(1).max(128).optional(),
    /** An API key (Preferences → Account Security → New API Key). Bearer token on JSON-2; the password on JSON-RPC. */
    apiKey: secret(z.string().min(8)),
    /** `json2` for Odoo 19+, `jsonrpc` for Odoo 16–18. */
    protocol: OdooProtocol,
    /** The user the API key belongs to. Required on JSON-RPC (`common.authenticate`). */
    login: z.string().min(1).max(256).optional(),
    /** Restricts reads and writes to this company (`allowed_company_ids` in the context). */
    companyId: z.number().int().positive().optional(),
    /** Language names are read in (`context.lang`), e.g. `ar_001` or `en_US`. */
    lang: z
      .string()
      .regex(/^[a-z]{2,3}(_[A-Z0-9]{2,3})?$/, 'expected an Odoo language code such as ar_001')
      .optional(),
    /** Permits an `http://` baseUrl. Only for loopback tests: invoices travel over TLS. */
    allowInsecureHttp: z.boolean().default(false),
    /** Per-attempt timeout, ms. Default 30 000. */
    timeoutMs: z.number().int().positive().max(300_000).default(30_000),
    /** Records per page of every stream. Default 200. */
    pageSize: z.number().int().min(1).max(2_000).default(200),
    /** The namespace (`ir.model.data` module) of external ids this connector writes. Default `hmi`. */
    externalIdModule: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,63}$/)
      .default('hmi'),
    /** Narrows the `employees` stream to these departments: `hr.department` ids or exact names. */
    employeeDepartments: z
      .array(z.union([z.number().int().positive(), z.string().min(1).max(200)]))
      .max(100)
      .optional(),
    /** Region for phone numbers Odoo holds without a country code. Default `SA`. */
    defaultPhoneRegion: z.string().length(2).default('SA'),
  })
  .superRefine((config, ctx) => {
    if (config.protocol !== 'jsonrpc') return;
    // execute_kw needs both: refuse at create() rather than on the first call.
    if (!config.database) ctx.addIssue({ code: 'custom', path: ['database'], message: 'required when protocol is jsonrpc' });
    if (!config.login) ctx.addIssue({ code: 'custom', path: ['login'], message: 'required when protocol is jsonrpc' });
  });
/** The config as callers write it. */
export type OdooConfigInput = z.input<typeof OdooConfig>;
/** The config after defaults. */
export type OdooConfig = z.output<typeof OdooConfig>;
