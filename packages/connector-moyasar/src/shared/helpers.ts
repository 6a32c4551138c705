import { createHash } from 'node:crypto';
import { findDiagnosisInText, ValidationError } from '@hmi/core';
import { z } from 'zod';
import { CONTACT_ID_METADATA_KEY, INVOICE_ID_METADATA_KEY } from '../moyasar-model.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The `given_id` for an idempotency key: the key itself when it is a UUID, otherwise a UUID
 * derived from it (SHA-256, version and variant bits set), so a caller's `visit-APT-7781` maps to
 * the same `given_id` on every retry and after a restart.
 */
export function givenIdFor(idempotencyKey: string): string {
  if (UUID.test(idempotencyKey)) return idempotencyKey.toLowerCase();
  const hex = createHash('sha256').update(`hmi-moyasar:${idempotencyKey}`).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An opaque CRM id: letters, digits and `._:-`, so a name or a phone number cannot pass as one. */
export const CrmId = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'expected an opaque id (letters, digits, . _ : -)');

/** Extra metadata: CRM ids only (Moyasar allows 30 keys; three are the connector's). */
export const CrmMetadata = z
  .record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), CrmId)
  .refine((m) => Object.keys(m).length <= 27, 'at most 27 metadata keys')
  .refine(
    (m) => !(CONTACT_ID_METADATA_KEY in m) && !(INVOICE_ID_METADATA_KEY in m),
    'use contactId / invoiceId for the hmi_ keys',
  );

/** Builds the metadata object sent to Moyasar. */
export function metadataOf(input: {
  contactId?: string | undefined;
  invoiceId?: string | undefined;
  metadata?: Record<string, string> | undefined;
}): Record<string, string> | undefined {
  const out: Record<string, string> = { ...input.metadata };
  if (input.contactId) out[CONTACT_ID_METADATA_KEY] = input.contactId;
  if (input.invoiceId) out[INVOICE_ID_METADATA_KEY] = input.invoiceId;
  return Object.keys(out).length ? out : undefined;
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
