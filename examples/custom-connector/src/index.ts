/**
 * `@hospital/connector-clinic-survey`: an example hmi connector for a made-up patient-satisfaction
 * survey API — config with secrets, two actions, a resumable stream, a signed webhook, its own MSW
 * fake (`./msw`) and an OpenAPI description (`openapi/clinic-survey.yaml`). Copy it to start yours.
 * @packageDocumentation
 */
export { clinicSurveyConnector, type ClinicSurveyConnector, createClinicSurveyConnector } from './survey-connector.js';
export { SURVEY_DEFAULT_BASE_URL, SurveyConfig, type SurveyConfigInput } from './survey-config.js';
export type { SurveyContext } from './survey-context.js';
export { classifySurveyError } from './survey-error.js';
export { SurveyInvitation, SurveyKind, SurveyLanguage, SurveyResponse } from './survey-model.js';
export { GetInvitationInput, SendSurveyInput } from './invitations/invitation-actions.js';
export { ResponsesCheckpoint } from './responses/responses-stream.js';
export {
  SURVEY_SIGNATURE_HEADER,
  signSurveyPayload,
  type VerifySurveySignatureOptions,
  verifySurveySignature,
} from './webhooks/signature.js';
