import { type ConnectorInstanceOptions, defineConnector } from '@hmi/core';
import { getInvitation, sendSurvey } from './invitations/invitation-actions.js';
import { responses } from './responses/responses-stream.js';
import { SurveyConfig, type SurveyConfigInput } from './survey-config.js';
import type { SurveyContext } from './survey-context.js';
import { classifySurveyError } from './survey-error.js';
import { PACKAGE_VERSION } from './version.js';
import { responseSubmitted } from './webhooks/response-webhook.js';

/**
 * The Clinic Survey connector (contract v1): actions `sendSurvey` and `getInvitation`, the
 * `responses` stream, and the `responseSubmitted` webhook.
 */
export const clinicSurveyConnector = defineConnector({
  id: 'clinic-survey',
  name: 'Clinic Survey',
  category: 'crm',
  version: PACKAGE_VERSION,
  config: SurveyConfig,
  auth: ['bearer'],
  setup(config, runtime): SurveyContext {
    // One HTTP client per instance: auth, timeouts, retries, redaction and telemetry come from the core.
    const http = runtime.createHttpClient({
      baseUrl: config.baseUrl,
      auth: { type: 'bearer', token: config.apiKey },
      timeoutMs: config.timeoutMs,
      allowInsecureHttp: config.allowInsecureHttp,
      classifyError: classifySurveyError,
      requestIdHeaders: ['x-request-id'],
    });
    return { http, config };
  },
  async check(ctx, signal) {
    await ctx.http.request({ path: '/v1/responses', query: { limit: 1 }, operation: 'check', ...(signal && { signal }) });
  },
  actions: { sendSurvey, getInvitation },
  streams: { responses },
  webhooks: { responseSubmitted },
});

/** A configured Clinic Survey connector. */
export type ClinicSurveyConnector = ReturnType<typeof clinicSurveyConnector.create>;

/**
 * Creates a Clinic Survey connector instance; the config is validated (a ConfigError names the bad
 * field) and its secrets registered with the instance's redactor.
 */
export function createClinicSurveyConnector(
  config: SurveyConfigInput,
  options?: ConnectorInstanceOptions,
): ClinicSurveyConnector {
  return clinicSurveyConnector.create(config, options);
}
