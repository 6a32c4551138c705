import type { HttpClient } from '@hmi/core';
import { FhirCapabilityStatementSchema } from '../fhir-resources.js';

/**
 * Whether the server's CapabilityStatement (`GET [base]/metadata`) lists the `_elements` search
 * parameter, at system level or for any resource. `undefined` when the server could not be asked:
 * the caller then reads without `_elements` (an optimisation a strict server might refuse).
 */
export async function capabilityListsElements(http: HttpClient, signal?: AbortSignal): Promise<boolean | undefined> {
  try {
    const statement = await http.request({
      path: 'metadata',
      schema: FhirCapabilityStatementSchema,
      operation: 'capabilities',
      ...(signal && { signal }),
    });
    return (statement.rest ?? []).some(
      (rest) =>
        (rest.searchParam ?? []).some((p) => p.name === '_elements') ||
        (rest.resource ?? []).some((r) => (r.searchParam ?? []).some((p) => p.name === '_elements')),
    );
  } catch {
    return undefined;
  }
}
