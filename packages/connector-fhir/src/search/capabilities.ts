import type { HttpClient } from '@hmi/core';
import { FhirCapabilityStatementSchema } from '../fhir-resources.js';

/**
 * Whether the server's CapabilityStatement (`GET [base]/metadata`) lists the `_elements` search
 * parameter, at system level or for any resource. A server that cannot be asked is treated as not
 * supporting it: `_elements` is an optimisation, and a strict server would refuse it.
 */
export async function capabilityListsElements(http: HttpClient, signal?: AbortSignal): Promise<boolean> {
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
    return false;
  }
}
