/**
 * `@hmi/connector-fhir`: FHIR R4 for the CRM. Patients, conditions and appointments as
 * incremental, resumable streams; patient and appointment actions; mappers both ways between FHIR
 * and the canonical model; SMART Backend Services auth; Subscription rest-hook notifications.
 * In-memory FHIR server handlers for tests are at `@hmi/connector-fhir/msw`.
 * @packageDocumentation
 */
export {
  createFhirConnector,
  fhirConnector,
  type FhirActions,
  type FhirConnector,
  type FhirStreams,
  type FhirWebhooks,
  FHIR_CONNECTOR_VERSION,
} from './fhir-connector.js';
export {
  FhirAuth,
  FhirBasicAuth,
  FhirBearerAuth,
  FhirConfig,
  type FhirConfigInput,
  FhirIdentifierSystems,
  FhirSmartBackendAuth,
  FhirSubscriptionConfig,
} from './fhir-config.js';
export type { FhirContext } from './fhir-context.js';
export {
  classifyFhirError,
  isRetryableIssueCode,
  type OperationOutcomeSummary,
  summarizeOperationOutcome,
} from './fhir-error.js';
export { FhirId } from './fhir-resources.js';
export { FhirCheckpoint } from './search/incremental.js';
export { fhirNextLink } from './search/next-link.js';
export {
  discoverSmartConfiguration,
  SmartConfiguration,
  type SmartDiscoveryOptions,
  smartConfigurationUrl,
} from './auth/smart-discovery.js';
export {
  type CreatePatientOutput,
  CreatePatientResult,
  SearchPatientsInput,
  type SearchPatientsQuery,
  type UpdatePatientOutput,
  UpdatePatientResult,
} from './patients/patient-actions.js';
export {
  type BookAppointmentOutput,
  BookAppointmentResult,
  IDEMPOTENCY_IDENTIFIER_SYSTEM,
} from './appointments/appointment-actions.js';
export {
  FHIR_NOTIFICATION_EVENT,
  FHIR_STREAMS,
  type FhirStreamName,
  FhirSubscriptionNotification,
} from './webhooks/subscription.js';
export { type FhirStreamRecords, type NotificationReadPage, readAfterNotification } from './webhooks/read-after-notification.js';
export {
  type AppointmentWriteOptions,
  APPOINTMENT_ELEMENTS,
  appointmentToFhirAppointment,
  BCP47,
  CONDITION_CLINICAL,
  CONDITION_ELEMENTS,
  CONDITION_VER_STATUS,
  conditionToFhirCondition,
  contactToFhirPatient,
  DEFAULT_IDENTIFIER_SYSTEMS,
  type DroppedValue,
  fhirAppointmentToAppointment,
  fhirConditionToCondition,
  type FhirMapOptions,
  fhirPatientToContact,
  identifierKind,
  LANGUAGE_EXTENSION,
  PATIENT_ELEMENTS,
  V2_0203,
} from './mappers/index.js';
