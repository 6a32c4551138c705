import { type PhiFirewall, secret } from '@hmi/core';
import { z } from 'zod';

/** Google's production origins. */
export const GA4_DATA_BASE_URL = 'https://analyticsdata.googleapis.com';
/** The Admin API's origin. */
export const GA4_ADMIN_BASE_URL = 'https://analyticsadmin.googleapis.com';
/** The Measurement Protocol's origin (`/mp/collect`). Use `https://region1.google-analytics.com` for EU data collection. */
export const GA4_MP_BASE_URL = 'https://www.google-analytics.com';
/** Google's OAuth 2.0 token endpoint. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** Read-only scope: reports and the Admin API's lists. */
export const GA4_READONLY_SCOPE = 'https://www.googleapis.com/auth/analytics.readonly';

/** The fields of a service account key file (`type: service_account`) that the JWT bearer grant needs. */
export const ServiceAccountKey = z.object({
  client_email: z.string().email(),
  /** PKCS#8 PEM. */
  private_key: secret(z.string().min(64)),
  private_key_id: z.string().optional(),
  token_uri: z.string().url().optional(),
});
/** A service account key. */
export type ServiceAccountKey = z.infer<typeof ServiceAccountKey>;

const DateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/**
 * A saved report definition read day by day by the `dailyReports` stream: the same dimensions,
 * metrics and filters every day (`date` is implied).
 */
export const SavedReport = z.object({
  dimensions: z.array(z.string().min(1).max(64)).max(9).default([]),
  metrics: z.array(z.string().min(1).max(64)).min(1).max(10),
  /** A Data API FilterExpression, passed as is. */
  dimensionFilter: z.record(z.string(), z.unknown()).optional(),
  metricFilter: z.record(z.string(), z.unknown()).optional(),
  /** The first day to read on a full read. */
  startDate: DateString,
});
/** A saved report definition. */
export type SavedReport = z.infer<typeof SavedReport>;

const isFirewall = (value: unknown): value is PhiFirewall =>
  typeof value === 'object' && value !== null && typeof (value as PhiFirewall).apply === 'function';

/**
 * Config of the GA4 connector. Credentials are `secret()`: registered with the redactor, never in
 * telemetry or errors. Give `serviceAccount` (the JWT bearer grant; tokens cached and refreshed by
 * the core) or `accessToken` (a token your app obtains).
 */
export const Ga4Config = z
  .object({
    /** The numeric GA4 property id (`123456789`), without `properties/`. Required for reports and `listDataStreams`. */
    propertyId: z
      .string()
      .regex(/^\d{1,20}$/, 'expected the numeric property id')
      .optional(),
    serviceAccount: ServiceAccountKey.optional(),
    /** An OAuth access token supplied by the host (it refreshes it; a 401 is an AuthError). */
    accessToken: secret(z.string().min(8)).optional(),
    /** Measurement Protocol stream id (`G-XXXXXXX`). Required for `sendEvents`. */
    measurementId: z
      .string()
      .regex(/^G-[A-Z0-9]{4,20}$/, 'expected G-…')
      .optional(),
    /** Measurement Protocol API secret (Admin → Data streams → Measurement Protocol API secrets). */
    apiSecret: secret(z.string().min(8)).optional(),
    /**
     * The PHI firewall every event passes (`createPhiFirewall(policy)`). Default: the strict default
     * policy. Giving a weaker one is a deliberate act of the host.
     */
    firewall: z.custom<PhiFirewall>(isFirewall, 'expected a firewall from createPhiFirewall').optional(),
    /** Saved report definitions read by the `dailyReports` stream, by name. */
    reports: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), SavedReport).default({}),
    /** Days re-read at the end of each incremental read: GA4 data settles for ~72 h. Default 3. */
    settleDays: z.number().int().min(0).max(14).default(3),
    /** At most this many days per stream read (bounds one run). Default 92. */
    maxDaysPerRead: z.number().int().min(1).max(3660).default(92),
    /** Rows per runReport page. Default 10 000 (the API allows up to 250 000). */
    pageSize: z.number().int().min(1).max(250_000).default(10_000),
    /** Stop paging a report after this many rows. Default 1 000 000. */
    maxRows: z.number().int().min(1).max(10_000_000).default(1_000_000),
    dataBaseUrl: z.string().url().default(GA4_DATA_BASE_URL),
    adminBaseUrl: z.string().url().default(GA4_ADMIN_BASE_URL),
    mpBaseUrl: z.string().url().default(GA4_MP_BASE_URL),
    tokenUrl: z.string().url().default(GOOGLE_TOKEN_URL),
    /** Permits `http://` URLs. Only for loopback tests. */
    allowInsecureHttp: z.boolean().default(false),
    /** Per-attempt timeout, ms. Default 30 000. */
    timeoutMs: z.number().int().positive().max(300_000).default(30_000),
    /** The core's retry policy for these clients (tests shorten the waits). */
    retry: z
      .object({ retries: z.number().int().min(0).max(10), minDelayMs: z.number().min(0), maxDelayMs: z.number().min(0) })
      .partial()
      .optional(),
    /** The clock the daily stream reads "today" from. Default `Date.now`. */
    now: z.custom<() => number>((v) => typeof v === 'function').optional(),
  })
  .superRefine((config, ctx) => {
    if (!config.propertyId && !config.measurementId) {
      ctx.addIssue({
        code: 'custom',
        path: ['propertyId'],
        message: 'give propertyId (reports) or measurementId and apiSecret (events)',
      });
    }
    if (config.measurementId && !config.apiSecret) {
      ctx.addIssue({
        code: 'custom',
        path: ['apiSecret'],
        message: 'the Measurement Protocol needs apiSecret with measurementId',
      });
    }
    if (config.serviceAccount && config.accessToken) {
      ctx.addIssue({ code: 'custom', path: ['accessToken'], message: 'give serviceAccount or accessToken, not both' });
    }
  });
/** The config as callers write it. */
export type Ga4ConfigInput = z.input<typeof Ga4Config>;
/** The config after defaults. */
export type Ga4Config = z.output<typeof Ga4Config>;
