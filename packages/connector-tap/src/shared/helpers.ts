import { createHash } from 'node:crypto';
import { findDiagnosisInText, ValidationError } from '@hmi/core';
import { z } from 'zod';

/** An opaque CRM id: letters, digits and `._:-`, so a name or a phone number cannot pass as one. */
export const CrmId = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'expected an opaque id (letters, digits, . _ : -)');

/** Extra metadata: CRM ids only, never patient data. */
export const CrmMetadata = z
  .record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), CrmId)
  .refine((m) => Object.keys(m).length <= 20, 'at most 20 metadata keys');

/**
 * The value for Tap's `reference.idempotent`: the call's idempotency key when it is short printable
 * ASCII, else a digest of it — the same on every retry, so Tap answers a repeat with the original.
 */
export function tapIdempotentFor(key: string): string {
  return /^[\x21-\x7e]{1,64}$/.test(key) ? key : `hmi_${createHash('sha256').update(key).digest('hex').slice(0, 56)}`;
}

/**
 * Refuses a description that carries a diagnosis (an ICD-10 code, a term of the host's
 * vocabulary) before anything is sent. The error names the field and the kind, never the text.
 */
export function assertNoDiagnosis(text: string | undefined, vocabulary: readonly string[], field = 'description'): void {
  if (text === undefined) return;
  const finding = findDiagnosisInText(text, { vocabulary });
  if (!finding) return;
  throw new ValidationError(`${field} must not carry a diagnosis (found a ${finding.replace('_', ' ')})`, {
    code: 'diagnosis_in_description',
    issues: [{ path: [field], code: finding, message: 'payment text must not carry a diagnosis' }],
  });
}
