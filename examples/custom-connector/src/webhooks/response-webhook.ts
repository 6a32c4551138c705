import {
  ConfigError,
  formatIssues,
  toValidationIssues,
  ValidationError,
  type WebhookEvent,
  WebhookVerificationError,
  webhook,
} from '@hmi/core';
import type { SurveyContext } from '../survey-context.js';
import { type SurveyResponse, toSurveyResponse, WireWebhookEvent } from '../survey-model.js';
import { SURVEY_SIGNATURE_HEADER, verifySurveySignature } from './signature.js';

/**
 * The `response.submitted` webhook: the signature is checked on the raw bytes first
 * (WebhookVerificationError → answer 401), then the JSON is parsed and validated (ValidationError
 * → 400). The event id is the service's, so a redelivery deduplicates downstream.
 */
export const responseSubmitted = webhook<SurveyContext>({
  description: 'response.submitted: a patient answered a survey (signed, HMAC-SHA256)',
  async verify(request, ctx): Promise<WebhookEvent<SurveyResponse>[]> {
    const secret = ctx.config.webhookSecret;
    if (!secret) throw new ConfigError('set webhookSecret to receive Clinic Survey webhooks', { connector: 'clinic-survey' });
    const valid = verifySurveySignature({
      payload: request.rawBody,
      header: request.headers.get(SURVEY_SIGNATURE_HEADER),
      secret,
      toleranceSec: ctx.config.webhookToleranceSec,
    });
    if (!valid) throw new WebhookVerificationError('Clinic Survey webhook signature or timestamp is not valid');
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(request.rawBody).toString('utf8'));
    } catch {
      throw new ValidationError('Clinic Survey webhook body is not JSON', {
        issues: [{ path: [], code: 'invalid_json', message: 'not JSON' }],
      });
    }
    const parsed = WireWebhookEvent.safeParse(json);
    if (!parsed.success) {
      const issues = toValidationIssues(parsed.error);
      throw new ValidationError(`Clinic Survey webhook event is invalid: ${formatIssues(issues)}`, { issues });
    }
    const event = parsed.data;
    return [{ id: event.id, type: event.type, occurredAt: event.created_at, data: toSurveyResponse(event.data) }];
  },
});
