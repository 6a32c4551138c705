/**
 * `@hospital/connector-clinic-survey/msw`: a fake Clinic Survey API for MSW, hand-written fixtures
 * that the API's OpenAPI description validates, and signed webhook requests — for host apps' tests.
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import type { WireResponse } from '../survey-model.js';
import { SURVEY_SIGNATURE_HEADER, signSurveyPayload } from '../webhooks/signature.js';

export {
  createFakeSurveyApi,
  type FakeSurveyApiOptions,
  type FakeSurveyRequest,
  type FakeSurveyState,
} from './fake-survey-api.js';
export { invitationFixture, surveyResponseFixtures } from './fixtures.js';

/** Options of {@link signedSurveyWebhook}. */
export interface SignedSurveyWebhookOptions {
  /** Your endpoint's URL. */
  url: string;
  /** The response the event carries. */
  response: WireResponse;
  secret: string;
  /** Unix seconds of the signature. Default now. */
  timestamp?: number;
  /** The event id. Default a random `evt_…`. */
  eventId?: string;
}

/** A `response.submitted` delivery signed as the survey service signs it: a Fetch `Request`. */
export function signedSurveyWebhook(options: SignedSurveyWebhookOptions): Request {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    id: options.eventId ?? `evt_${randomBytes(8).toString('hex')}`,
    type: 'response.submitted',
    created_at: options.response.submitted_at,
    data: options.response,
  });
  return new Request(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SURVEY_SIGNATURE_HEADER]: signSurveyPayload(body, options.secret, timestamp),
    },
    body,
  });
}
