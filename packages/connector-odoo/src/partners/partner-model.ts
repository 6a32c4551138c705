import type { ContactInput } from '@hmi/core';
import { Contact } from '@hmi/core/schemas';
import { tryNormalizePhone } from '@hmi/phone';
import { z } from 'zod';
import { odooDatetimeToIso } from '../shared/dates.js';
import { Many2one, OptionalText, RecordId, text, odooLangToTag, WriteDate } from '../shared/wire.js';

/** The `res.partner` fields the partners stream reads. */
export const PARTNER_FIELDS = [
  'name',
  'is_company',
  'email',
  'phone',
  'vat',
  'ref',
  'lang',
  'street',
  'street2',
  'city',
  'zip',
  'country_code',
  'active',
  'parent_id',
] as const;

/** A `res.partner` as `search_read` returns it. */
export const WirePartner = z.object({
  id: RecordId,
  write_date: WriteDate,
  name: OptionalText,
  is_company: z.boolean().optional(),
  email: OptionalText,
  phone: OptionalText,
  vat: OptionalText,
  ref: OptionalText,
  lang: OptionalText,
  street: OptionalText,
  street2: OptionalText,
  city: OptionalText,
  zip: OptionalText,
  country_code: OptionalText,
  active: z.boolean().optional(),
  parent_id: Many2one.optional(),
});
/** A `res.partner` on the wire. */
export type WirePartner = z.infer<typeof WirePartner>;

/** The identifier system of a partner's `ref`. */
export const ODOO_REF_SYSTEM = 'urn:odoo:partner-ref';
/** The identifier system of a partner's tax id (`vat`): the Saudi VAT number for KSA partners. */
export const VAT_SYSTEM = 'urn:odoo:vat';

const EMAIL = z.email();

/**
 * Maps a `res.partner` to a canonical Contact: the name (in the configured language), phones in
 * E.164 (numbers Odoo holds without a country code are read in `defaultRegion`; unreadable ones
 * are dropped, never guessed), the email when it is an address, `ref` and `vat` as identifiers.
 */
export function toContact(wire: WirePartner, defaultRegion: string, langTag: string | undefined): ContactInput {
  const name = text(wire.name);
  const phones: NonNullable<ContactInput['phones']> = [];
  // Only `phone`: `mobile` is not a base field on every supported Odoo version.
  const e164 = tryNormalizePhone(text(wire.phone), { defaultRegion });
  if (e164) phones.push({ value: e164 });
  const email = text(wire.email)?.trim();
  const line = [text(wire.street), text(wire.street2)].filter((s): s is string => s !== undefined);
  const city = text(wire.city);
  const zip = text(wire.zip);
  const country = text(wire.country_code);
  const ref = text(wire.ref);
  const vat = text(wire.vat);
  const language = odooLangToTag(text(wire.lang));
  return {
    source: { system: 'odoo', id: String(wire.id) },
    kind: wire.is_company ? 'other' : 'patient',
    identifiers: [
      ...(ref ? [{ type: 'other' as const, system: ODOO_REF_SYSTEM, value: ref }] : []),
      ...(vat ? [{ type: 'other' as const, system: VAT_SYSTEM, value: vat }] : []),
    ],
    names: name ? [{ text: name, ...(langTag && { language: langTag }) }] : [],
    phones,
    emails: email && EMAIL.safeParse(email).success ? [{ value: email }] : [],
    addresses:
      line.length || city || zip || country
        ? [{ ...(line.length && { line }), ...(city && { city }), ...(zip && { postalCode: zip }), ...(country && { country }) }]
        : [],
    languages: language ? [language] : [],
    ...(wire.active !== undefined && { active: wire.active }),
    updatedAt: odooDatetimeToIso(wire.write_date),
  };
}

/** The Contact schema the stream validates records with. */
export const PartnerContact = Contact;
