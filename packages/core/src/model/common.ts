import { z } from 'zod';
import { phi } from './registry.js';

/** Where a record came from: the connector and the record's id in that system. */
export const SourceRef = z.object({
  /** Connector id, e.g. `fhir`, `hl7v2`, `stripe`. */
  system: z.string(),
  /** The record's id in that system. */
  id: z.string(),
});
/** Where a record came from. */
export type SourceRef = z.infer<typeof SourceRef>;

/** A coded value (FHIR Coding style). */
export const Coding = z.object({
  system: z.string().optional(),
  code: z.string(),
  display: z.string().optional(),
});
/** A coded value. */
export type Coding = z.infer<typeof Coding>;

/** An ISO 8601 date-time string. */
export const IsoDateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date-time');
/** The value IsoDateTime accepts and returns. */
export type IsoDateTime = z.infer<typeof IsoDateTime>;

/** An ISO 4217 currency code, upper case. */
export const CurrencyCode = z
  .string()
  .length(3)
  .transform((s) => s.toUpperCase());
/** The value CurrencyCode accepts and returns. */
export type CurrencyCode = z.infer<typeof CurrencyCode>;

/** A BCP 47 language tag such as `ar`, `en`, `ar-SA`. */
export const LanguageTag = z.string().min(2).max(35);
/** The value LanguageTag accepts and returns. */
export type LanguageTag = z.infer<typeof LanguageTag>;

/** An E.164 phone number (`+966555123456`). PHI. */
export const E164Phone = phi(z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 phone number'));
/** The value E164Phone accepts and returns. */
export type E164Phone = z.infer<typeof E164Phone>;

/** A phone or email recipient of a message. PHI. */
export const Recipient = phi(z.string().min(1));
/** The value Recipient accepts and returns. */
export type Recipient = z.infer<typeof Recipient>;
