import {
  type Appointment,
  type Condition,
  type Connector,
  type ConnectorInstance,
  type ConnectorInstanceOptions,
  type Contact,
  defineConnector,
  type StreamDefinition,
} from '@hmi/core';
import type { z } from 'zod';
import { toCoreAuth } from './auth/fhir-auth.js';
import { bookAppointment, cancelAppointment, getAppointment } from './appointments/appointment-actions.js';
import { FhirConfig, type FhirConfigInput } from './fhir-config.js';
import type { FhirContext } from './fhir-context.js';
import { classifyFhirError } from './fhir-error.js';
import { FHIR_JSON } from './fhir-http.js';
import { appointments } from './appointments/appointments-stream.js';
import { conditions } from './conditions/conditions-stream.js';
import type { FhirMapOptions } from './mappers/shared.js';
import { createPatient, getPatient, searchPatients, updatePatient } from './patients/patient-actions.js';
import { patients } from './patients/patients-stream.js';
import { capabilityListsElements } from './search/capabilities.js';
import type { FhirCheckpoint } from './search/incremental.js';
import { subscriptionWebhook } from './webhooks/subscription.js';
import { PACKAGE_VERSION } from './version.js';

/** The connector package's version. */
export const FHIR_CONNECTOR_VERSION: string = PACKAGE_VERSION;

/** The FHIR connector's actions, by name. */
export type FhirActions = {
  getPatient: typeof getPatient;
  searchPatients: typeof searchPatients;
  createPatient: typeof createPatient;
  updatePatient: typeof updatePatient;
  getAppointment: typeof getAppointment;
  bookAppointment: typeof bookAppointment;
  cancelAppointment: typeof cancelAppointment;
};
/** The FHIR connector's streams. */
export type FhirStreams = {
  patients: StreamDefinition<FhirContext, typeof Contact, typeof FhirCheckpoint>;
  conditions: StreamDefinition<FhirContext, typeof Condition, typeof FhirCheckpoint>;
  appointments: StreamDefinition<FhirContext, typeof Appointment, typeof FhirCheckpoint>;
};
/** The FHIR connector's webhooks. */
export type FhirWebhooks = {
  subscription: typeof subscriptionWebhook;
};

const fhirActions: FhirActions = {
  getPatient,
  searchPatients,
  createPatient,
  updatePatient,
  getAppointment,
  bookAppointment,
  cancelAppointment,
};

const fhirStreams: FhirStreams = { patients, conditions, appointments };

const fhirWebhooks: FhirWebhooks = { subscription: subscriptionWebhook };

/**
 * The FHIR R4 connector definition (contract v1). Most callers use {@link createFhirConnector}.
 * - streams `patients` → Contact, `conditions` → Condition, `appointments` → Appointment: incremental
 *   and resumable (see {@link FhirCheckpoint});
 * - actions getPatient, searchPatients, createPatient, updatePatient, getAppointment,
 *   bookAppointment, cancelAppointment;
 * - webhook `subscription` for R4 rest-hook notifications.
 */
export const fhirConnector: Connector<typeof FhirConfig, FhirContext, FhirActions, FhirStreams, FhirWebhooks> = defineConnector({
  id: 'fhir',
  name: 'FHIR R4',
  category: 'ehr',
  version: FHIR_CONNECTOR_VERSION,
  config: FhirConfig,
  auth: ['bearer', 'basic', 'smart-backend-services'],
  setup(config, runtime): FhirContext {
    const telemetry = runtime.telemetry;
    const http = runtime.createHttpClient({
      baseUrl: config.baseUrl,
      auth: toCoreAuth(config, runtime.fetch),
      allowInsecureHttp: config.allowInsecureHttp,
      classifyError: classifyFhirError,
      headers: { accept: FHIR_JSON },
      ...(config.timeoutMs !== undefined && { timeoutMs: config.timeoutMs }),
      ...(config.retry && { retry: config.retry }),
    });
    const map: FhirMapOptions = {
      defaultRegion: config.defaultRegion,
      identifierSystems: config.identifierSystems,
      onDropped: (d) => telemetry.emit('fhir:dropped', { connector: 'fhir', ...d }),
    };
    let elements: Promise<boolean> | undefined;
    return {
      http,
      config,
      map,
      telemetry,
      supportsElements(signal) {
        if (typeof config.elements === 'boolean') return Promise.resolve(config.elements);
        // Cached per instance; a failed look-up is not cached, so the next read asks again.
        elements ??= capabilityListsElements(http, signal).then((listed) => {
          if (listed === undefined) elements = undefined;
          return listed === true;
        });
        return elements;
      },
    };
  },
  async check(ctx, signal) {
    await ctx.http.request({ path: 'Patient', query: { _summary: 'count' }, operation: 'check', ...(signal && { signal }) });
  },
  actions: fhirActions,
  streams: fhirStreams,
  webhooks: fhirWebhooks,
});

/** A configured FHIR connector instance. */
export type FhirConnector = ConnectorInstance<FhirActions, FhirStreams, FhirWebhooks>;

/**
 * Creates a FHIR R4 connector instance. The config is validated (a ConfigError names the bad field,
 * never its value) and its secrets registered with the instance's redactor.
 *
 * @example
 * ```ts
 * const fhir = createFhirConnector({
 *   baseUrl: 'https://ehr.example.org/fhir/R4',
 *   auth: { type: 'smart-backend-services', clientId: 'crm', privateKey: pem, keyId: 'crm-2025' },
 *   defaultRegion: 'SA',
 * });
 * for await (const page of fhir.streams.patients.read({ checkpoint: saved })) { … save(page.checkpoint) }
 * ```
 */
export function createFhirConnector(config: FhirConfigInput, options?: ConnectorInstanceOptions): FhirConnector {
  return fhirConnector.create(config as z.input<typeof FhirConfig>, options);
}
