/**
 * Object keys that the canonical model marks as PHI (`phi(...)` in `model/*.ts`). The default
 * redactor removes the values of these keys wherever they appear in a telemetry payload.
 *
 * A list, not a walk of the zod model: the redactor is on every import path, and building the zod
 * model there would load zod (~100 ms) into every serverless cold start. `test/phi-keys.test.ts`
 * walks the model and fails when the two differ, so a new `phi(...)` field cannot be missed here.
 */
const CANONICAL_PHI_KEYS = [
  'birthDate',
  'body',
  'city',
  'code',
  'comment',
  'deceasedAt',
  'description',
  'display',
  'district',
  'family',
  'from',
  'given',
  'line',
  'name',
  'postalCode',
  'prefix',
  'reason',
  'receiptEmail',
  'recipient',
  'recordingUrl',
  'state',
  'subject',
  'suffix',
  'text',
  'to',
  'value',
  'workEmail',
  'workPhone',
] as const;

/** The canonical model's PHI keys, as a new set the caller may extend. */
export function canonicalPhiKeys(): Set<string> {
  return new Set(CANONICAL_PHI_KEYS);
}
