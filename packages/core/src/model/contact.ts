import { z } from 'zod';
import { Coding, E164Phone, IsoDateTime, LanguageTag, SourceRef } from './common.js';
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

/** An identifier of a person: MRN, national ID, Iqama, passport. */
export const PersonIdentifier = z.object({
  type: z.enum(['mrn', 'national-id', 'iqama', 'passport', 'insurance', 'other']),
  system: z.string().optional(),
  value: phi(z.string().min(1)),
});
/** An identifier of a person. */
export type PersonIdentifier = z.infer<typeof PersonIdentifier>;

/** A phone number, normalised to E.164. */
export const ContactPhone = z.object({
  value: E164Phone,
  use: z.enum(['mobile', 'home', 'work', 'temp', 'old']).optional(),
});
/** A phone number. */
export type ContactPhone = z.infer<typeof ContactPhone>;

/** An email address. */
export const ContactEmail = z.object({
  value: phi(z.string().email()),
  use: z.enum(['home', 'work', 'temp', 'old']).optional(),
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
  deceased: z.boolean().optional(),
  active: z.boolean().optional(),
  updatedAt: IsoDateTime.optional(),
});
/** A patient or lead as the CRM sees it. */
export type Contact = z.infer<typeof Contact>;
/** A Contact as callers may write it (defaults not yet applied). */
export type ContactInput = z.input<typeof Contact>;

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
