import type { HttpClient, Telemetry, TelemetryContext } from '@hmi/core';
import type { FhirConfig } from './fhir-config.js';
import type { FhirMapOptions } from './mappers/shared.js';

declare module '@hmi/core' {
  interface TelemetryEventMap {
    /** A value a FHIR mapper could not carry over: the element path and why, never the value. */
    'fhir:dropped': TelemetryContext & { resourceType: string; field: string; reason: string };
    /** A search answered out of `_lastUpdated` order: per-page checkpoints are not safe on this server. */
    'fhir:unsorted': TelemetryContext & { resourceType: string };
  }
}

/** What every FHIR action, stream and webhook receives. */
export interface FhirContext {
  http: HttpClient;
  config: FhirConfig;
  /** Mapper options, with dropped values reported on telemetry. */
  map: FhirMapOptions;
  telemetry: Telemetry;
  /** Whether to send `_elements` (config, or the CapabilityStatement when `'auto'`). Cached per instance. */
  supportsElements(signal?: AbortSignal): Promise<boolean>;
}
