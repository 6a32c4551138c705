import { secret } from '@hmi/core';
import { z } from 'zod';

/** The Clinic Survey API's production origin. */
export const SURVEY_DEFAULT_BASE_URL = 'https://api.clinic-survey.example';

/**
 * Config of the Clinic Survey connector. `secret()` marks credentials: `defineConnector` registers
 * their values with the instance's redactor, so they never reach telemetry or errors, and a bad
 * config is a ConfigError that names the field, never its value.
 */
export const SurveyConfig = z.object({
  /** API key from the survey service's dashboard, sent as a bearer token. */
  apiKey: secret(z.string().min(8)),
  /** The signing secret of the `response.submitted` webhook. Without it the webhook refuses every request. */
  webhookSecret: secret(z.string().min(16)).optional(),
  /** Default {@link SURVEY_DEFAULT_BASE_URL}. */
  baseUrl: z.string().url().default(SURVEY_DEFAULT_BASE_URL),
  /** Permits an `http://` baseUrl. Only for loopback tests: patient data travels over TLS. */
  allowInsecureHttp: z.boolean().default(false),
  /** Per-attempt timeout, ms. Default 30 000. */
  timeoutMs: z.number().int().positive().max(300_000).default(30_000),
  /** Responses per page of the `responses` stream (the API allows 1–100). Default 50. */
  pageSize: z.number().int().min(1).max(100).default(50),
  /** Webhook timestamps further than this from now are refused, seconds. Default 300. */
  webhookToleranceSec: z.number().int().positive().max(86_400).default(300),
});
/** The config as callers write it. */
export type SurveyConfigInput = z.input<typeof SurveyConfig>;
/** The config after defaults. */
export type SurveyConfig = z.output<typeof SurveyConfig>;
