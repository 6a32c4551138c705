import { z } from 'zod';
import { Coding, E164Phone, IsoDateTime, LanguageTag, SourceRef } from './common.js';
import { PersonIdentifierType } from './identifier-type-schema.js';
import { phi } from './registry.js';

/** A person's name in one language or use. Arabic and English names are both normal. */
export const PersonName = z.object({
  use: z.enum(['official', 'usual', 'nickname', 'anonymous', 'old', 'maiden', 'temp']).optional(),
  /** The full name as written, e.g. `محمد عبدالله الأحمد`. */
  text: phi(z.string()).optional(),
  given: phi(z.array(z.string())).optional(),
  family: phi(z.string()).optional(),
  prefix: phi(z.array(z.string())).optional(),
  suffix: phi(z.array(z.string())).optional(),
  /** Language or script of this name, e.g. `ar` or `en`. */
  language: LanguageTag.optional(),
});
/** A person's name. */
export type PersonName = z.infer<typeof PersonName>;

/** An identifier of a person: MRN, national ID, Iqama, passport, driver's licence. */
export const PersonIdentifier = z.object({
  type: PersonIdentifierType,
  system: z.string().optional(),
  value: phi(z.string().min(1)),
  /**
   * The HL7 table 0203 code the source used (`SS`, `NNSAU`, `DL`), kept so that writing the
   * identifier back gives the same code. See `identifierCodeFor`.
   */
  code: z.string().optional(),
});
/** An identifier of a person. */
export type PersonIdentifier = z.infer<typeof PersonIdentifier>;

/** A phone number, normalised to E.164. */
export const ContactPhone = z.object({
  value: E164Phone,
  use: z.enum(['mobile', 'home', 'work', 'temp', 'old']).optional(),
  /**
   * The source's preference order (FHIR `ContactPoint.rank`: 1 is the most preferred), kept so it
   * is written back as read. Phones are listed most preferred first whatever their ranks.
   */
  rank: z.number().int().positive().optional(),
});
/** A phone number. */
export type ContactPhone = z.infer<typeof ContactPhone>;

/** An email address. */
export const ContactEmail = z.object({
  value: phi(z.string().email()),
  use: z.enum(['home', 'work', 'temp', 'old']).optional(),
  /** The source's preference order (FHIR `ContactPoint.rank`), as for phones. */
  rank: z.number().int().positive().optional(),
});
/** An email address. */
export type ContactEmail = z.infer<typeof ContactEmail>;

/** A postal address. */
export const PostalAddress = z.object({
  use: z.enum(['home', 'work', 'temp', 'old', 'billing']).optional(),
  text: phi(z.string()).optional(),
  line: phi(z.array(z.string())).optional(),
  city: phi(z.string()).optional(),
  district: phi(z.string()).optional(),
  state: phi(z.string()).optional(),
  postalCode: phi(z.string()).optional(),
  /** ISO 3166 country code or name as the source gave it. */
  country: z.string().optional(),
});
/** A postal address. */
export type PostalAddress = z.infer<typeof PostalAddress>;

/**
 * Someone to call about a patient: next of kin, guardian, emergency contact (FHIR
 * `Patient.contact`, HL7 NK1). Who is called for a child or an elderly patient.
 */
export const RelatedPerson = z.object({
  name: PersonName.optional(),
  /** Why they are related: HL7 table 0131 / 0063 codes (`N` next of kin, `C` emergency contact, `MTH`). */
  relationship: z.array(Coding).default([]),
  phones: z.array(ContactPhone).default([]),
  emails: z.array(ContactEmail).optional(),
  address: PostalAddress.optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
});
/** Someone to call about a patient. */
export type RelatedPerson = z.infer<typeof RelatedPerson>;

/** `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or an ISO 8601 date-time. */
const DateOrDateTime = z
  .string()
  .refine((s) => /^\d{4}(-\d{2}(-\d{2})?)?$/.test(s) || !Number.isNaN(Date.parse(s)), 'expected a date or date-time');

/** A patient or lead as the CRM sees it. */
export const Contact = z.object({
  /** The CRM's id for this contact, when it has one. */
  id: z.string().optional(),
  /** The record this contact was read from. */
  source: SourceRef.optional(),
  kind: z.enum(['patient', 'lead', 'other']).default('patient'),
  identifiers: z.array(PersonIdentifier).default([]),
  names: z.array(PersonName).default([]),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
  birthDate: phi(z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/)).optional(),
  phones: z.array(ContactPhone).default([]),
  emails: z.array(ContactEmail).default([]),
  addresses: z.array(PostalAddress).default([]),
  /** Preferred languages, most preferred first (`ar`, `en`). */
  languages: z.array(LanguageTag).default([]),
  maritalStatus: Coding.optional(),
  /** True when the patient has died: the consent gate then refuses marketing to them. */
  deceased: z.boolean().optional(),
  /** When the patient died, as precise as the source said (`2024-03-01` or a date-time). */
  deceasedAt: phi(DateOrDateTime).optional(),
  /** Next of kin, guardians, emergency contacts. */
  relatedPersons: z.array(RelatedPerson).optional(),
  active: z.boolean().optional(),
  updatedAt: IsoDateTime.optional(),
});
/** A patient or lead as the CRM sees it. */
export type Contact = z.infer<typeof Contact>;
/** A Contact as callers may write it (defaults not yet applied). */
export type ContactInput = z.input<typeof Contact>;

/**
 * A change to a Contact as a source system reported it (an HL7 ADT update): the fields the source
 * sent, each with its new value, and `null` for a value the source deleted (HL7's `""`). A field
 * that is absent was not sent and stays as it is. Identifiers and `source` key the update.
 */
export const ContactUpdate = z.object({
  source: SourceRef.optional(),
  identifiers: z.array(PersonIdentifier).default([]),
  /**
   * Identifiers the contact was known by before this update (merge, identifier change): the CRM
   * re-keys the record found by these to `identifiers`.
   */
  previousIdentifiers: z.array(PersonIdentifier).optional(),
  names: z.array(PersonName).nullable().optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).nullable().optional(),
  birthDate: phi(z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/))
    .nullable()
    .optional(),
  phones: z.array(ContactPhone).nullable().optional(),
  emails: z.array(ContactEmail).nullable().optional(),
  addresses: z.array(PostalAddress).nullable().optional(),
  languages: z.array(LanguageTag).nullable().optional(),
  maritalStatus: Coding.nullable().optional(),
  deceased: z.boolean().nullable().optional(),
  deceasedAt: phi(DateOrDateTime).nullable().optional(),
  relatedPersons: z.array(RelatedPerson).nullable().optional(),
  updatedAt: IsoDateTime.optional(),
});
/** A change to a Contact: `null` clears a value, an absent field stays as it is. */
export type ContactUpdate = z.infer<typeof ContactUpdate>;

/** A patient's consent, or its withdrawal, for a channel and purpose. */
export const Consent = z.object({
  id: z.string().optional(),
  contactId: z.string().optional(),
  /** The phone or email the consent applies to. */
  recipient: phi(z.string()).optional(),
  channel: z.enum(['sms', 'email', 'whatsapp', 'phone', 'post', 'any']),
  purpose: z.enum(['marketing', 'transactional', 'research', 'data-sharing', 'any']),
  status: z.enum(['granted', 'revoked']),
  /** Where the decision came from: `sms-keyword`, `email-unsubscribe`, `hl7-pd1`, `form`, … */
  source: z.string(),
  recordedAt: IsoDateTime,
  sourceRef: SourceRef.optional(),
});
/** A patient's consent or its withdrawal. */
export type Consent = z.infer<typeof Consent>;
