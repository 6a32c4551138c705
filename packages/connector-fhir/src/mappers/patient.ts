import type { Contact, ContactEmail, ContactInput, ContactPhone, PersonName, PostalAddress, RelatedPerson } from '@hmi/core';
import { Contact as ContactSchema } from '@hmi/core/schemas';
import { tryNormalizePhone } from '@hmi/phone';
import type { Address, ContactPoint, HumanName, Patient, PatientContact } from '@medplum/fhirtypes';
import { z } from 'zod';
import {
  type FhirAddressSchema,
  type FhirContactPointSchema,
  type FhirHumanNameSchema,
  FhirPatientSchema,
} from '../fhir-resources.js';
import { fromFhirIdentifier, toFhirIdentifier } from './identifiers.js';
import { type FhirPatient, isFhirPatientShape } from './patient-shape.js';
import {
  FHIR_DATE_TIME,
  FHIR_SOURCE_SYSTEM,
  type FhirMapOptions,
  nonEmpty,
  nonEmptyList,
  parseOrThrow,
  toCodings,
  toConcept,
} from './shared.js';

/** The extension FHIR uses to say which language an element (here a name) is written in. */
export const LANGUAGE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/language';
/** BCP 47, the code system of `Patient.communication.language`. */
export const BCP47 = 'urn:ietf:bcp:47';

/** The Patient elements the mapper reads, for `_elements`. */
export const PATIENT_ELEMENTS = [
  'identifier',
  'active',
  'name',
  'telecom',
  'gender',
  'birthDate',
  'deceased',
  'address',
  'maritalStatus',
  'communication',
  'contact',
] as const;

const NAME_USES = new Set<string>(['official', 'usual', 'nickname', 'anonymous', 'old', 'maiden', 'temp']);
const PHONE_USES = new Set<string>(['mobile', 'home', 'work', 'temp', 'old']);
const EMAIL_USES = new Set<string>(['home', 'work', 'temp', 'old']);
const ADDRESS_USES = new Set<string>(['home', 'work', 'temp', 'old', 'billing']);
const GENDERS = new Set<string>(['male', 'female', 'other', 'unknown']);
const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
const BIRTH_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;
/** The same pattern the canonical Contact's `z.string().email()` applies, without a zod parse per value. */
const EMAIL = z.regexes.email;

function nameLanguage(name: z.infer<typeof FhirHumanNameSchema>): string | undefined {
  const ext = name.extension?.find((e) => e.url === LANGUAGE_EXTENSION) as { valueCode?: unknown } | undefined;
  if (typeof ext?.valueCode === 'string' && LANGUAGE_TAG.test(ext.valueCode)) return ext.valueCode;
  // No tag: Arabic script is unambiguous, Latin script is not (it may be a transliteration).
  const all = [name.text, name.family, ...(name.given ?? [])].join(' ');
  return ARABIC_SCRIPT.test(all) ? 'ar' : undefined;
}

type FhirName = z.infer<typeof FhirHumanNameSchema>;
type FhirTelecom = z.infer<typeof FhirContactPointSchema>;
type Drop = (field: string, reason: string) => void;

function readName(n: FhirName): PersonName | undefined {
  const name: PersonName = {};
  if (n.use && NAME_USES.has(n.use)) name.use = n.use as PersonName['use'];
  if (nonEmpty(n.text)) name.text = n.text;
  if (nonEmpty(n.family)) name.family = n.family;
  const given = nonEmptyList(n.given);
  if (given) name.given = given;
  const prefix = nonEmptyList(n.prefix);
  if (prefix) name.prefix = prefix;
  const suffix = nonEmptyList(n.suffix);
  if (suffix) name.suffix = suffix;
  const language = nameLanguage(n);
  if (language) name.language = language;
  return name.text || name.family || name.given ? name : undefined;
}

function readAddress(a: z.infer<typeof FhirAddressSchema>): PostalAddress {
  const address: PostalAddress = {};
  if (a.use && ADDRESS_USES.has(a.use)) address.use = a.use as PostalAddress['use'];
  if (nonEmpty(a.text)) address.text = a.text;
  const line = nonEmptyList(a.line);
  if (line) address.line = line;
  if (nonEmpty(a.city)) address.city = a.city;
  if (nonEmpty(a.district)) address.district = a.district;
  if (nonEmpty(a.state)) address.state = a.state;
  if (nonEmpty(a.postalCode)) address.postalCode = a.postalCode;
  if (nonEmpty(a.country)) address.country = a.country;
  return address;
}

/** Telecom systems a Contact has no place for: reported through `onDropped`, never lost silently. */
const UNKEPT_TELECOM = 'unsupported_telecom_system';

/**
 * Phones and emails of `telecom`, most preferred first: by `rank` (1 first; ranked before
 * unranked), then in the server's order. Each keeps its rank so it is written back as read.
 */
function readTelecom(
  telecom: readonly FhirTelecom[],
  path: string,
  options: FhirMapOptions,
  drop: Drop,
): { phones: ContactPhone[]; emails: ContactEmail[] } {
  // The index of each point in the server's order, sorted by rank only when some point has one.
  const order = telecom.map((_, i) => i);
  if (telecom.some((t) => t.rank !== undefined)) {
    const rankOf = (t: FhirTelecom) => (typeof t.rank === 'number' && t.rank > 0 ? t.rank : Number.POSITIVE_INFINITY);
    order.sort((a, b) => rankOf(telecom[a]!) - rankOf(telecom[b]!) || a - b);
  }
  const phones: ContactPhone[] = [];
  const emails: ContactEmail[] = [];
  for (const i of order) {
    const t = telecom[i]!;
    if (!t.value) continue;
    const rank = typeof t.rank === 'number' && Number.isInteger(t.rank) && t.rank > 0 ? t.rank : undefined;
    if (t.system === 'phone' || t.system === 'sms') {
      const e164 = tryNormalizePhone(t.value, { defaultRegion: options.defaultRegion });
      if (!e164) drop(`${path}.${i}.value`, 'invalid_phone');
      else if (!phones.some((x) => x.value === e164)) {
        const phone: ContactPhone = { value: e164 };
        if (t.use && PHONE_USES.has(t.use)) phone.use = t.use as ContactPhone['use'];
        if (rank !== undefined) phone.rank = rank;
        phones.push(phone);
      }
    } else if (t.system === 'email') {
      const value = t.value.trim();
      if (!EMAIL.test(value)) drop(`${path}.${i}.value`, 'invalid_email');
      else {
        const email: ContactEmail = { value };
        if (t.use && EMAIL_USES.has(t.use)) email.use = t.use as ContactEmail['use'];
        if (rank !== undefined) email.rank = rank;
        emails.push(email);
      }
    } else {
      // fax, pager, url, other (or no system): not a number to call or text.
      drop(`${path}.${i}`, UNKEPT_TELECOM);
    }
  }
  // Ranks 1, 2, 3… in order say no more than the order itself: left out, and written back the same.
  if (phones.every((ph, i) => ph.rank === i + 1)) for (const ph of phones) delete ph.rank;
  return { phones, emails };
}

/**
 * Maps a FHIR R4 Patient to a canonical Contact: every name (Arabic and English, `text` and parts,
 * each with its `use` and language), identifiers (MRN, national ID, Iqama, passport), phones
 * normalised to E.164 with the default region, emails, gender, birth date, address, preferred
 * languages (`communication`, preferred first), marital status and deceased flag.
 *
 * Values that cannot be represented (an unparseable phone, an invalid email) are reported through
 * `options.onDropped` rather than failing the record. A Patient whose structure is not FHIR JSON
 * throws a ValidationError naming the path, never the value.
 */
export function fhirPatientToContact(patient: Patient, options: FhirMapOptions = {}): Contact {
  // In place when the resource already has the schema's output shape (the usual case); otherwise
  // the schema refuses it with paths, or returns its cleaned copy (nulls dropped from arrays).
  const p: FhirPatient = isFhirPatientShape(patient) ? patient : parseOrThrow(FhirPatientSchema, patient, 'Patient');
  const drop = (field: string, reason: string) => options.onDropped?.({ resourceType: 'Patient', field, reason });
  // Built with plain assignments rather than conditional spreads: a read maps 100k of these.
  const contact: Contact = {
    kind: 'patient',
    identifiers: [],
    names: [],
    phones: [],
    emails: [],
    addresses: [],
    languages: [],
  };
  if (p.id) contact.source = { system: FHIR_SOURCE_SYSTEM, id: p.id };

  for (const id of p.identifier ?? []) {
    const mapped = fromFhirIdentifier(id, options.identifierSystems);
    if (mapped) contact.identifiers.push(mapped);
  }

  const names = p.name ?? [];
  for (let i = 0; i < names.length; i++) {
    const name = readName(names[i]!);
    if (name) contact.names.push(name);
    else drop(`name.${i}`, 'empty_name');
  }

  const telecom = readTelecom(p.telecom ?? [], 'telecom', options, drop);
  contact.phones.push(...telecom.phones);
  contact.emails.push(...telecom.emails);

  for (const a of p.address ?? []) contact.addresses.push(readAddress(a));

  const communication = p.communication ?? [];
  // Preferred languages first, otherwise in the server's order (a stable sort).
  const ordered =
    communication.length > 1
      ? [...communication].sort((a, b) => Number(b.preferred === true) - Number(a.preferred === true))
      : communication;
  for (const c of ordered) {
    const code = (c.language.coding ?? []).find((x) => x.code && LANGUAGE_TAG.test(x.code))?.code;
    if (code && !contact.languages.includes(code)) contact.languages.push(code);
  }

  if (p.gender !== undefined) {
    if (GENDERS.has(p.gender)) contact.gender = p.gender as Contact['gender'];
    else drop('gender', 'unknown_code');
  }
  if (p.birthDate !== undefined) {
    if (BIRTH_DATE.test(p.birthDate)) contact.birthDate = p.birthDate;
    else drop('birthDate', 'invalid_date');
  }
  const maritalStatus = toCodings(p.maritalStatus)[0];
  if (maritalStatus) contact.maritalStatus = maritalStatus;
  const deceased = p.deceasedBoolean ?? (p.deceasedDateTime !== undefined ? true : undefined);
  if (deceased !== undefined) contact.deceased = deceased;
  if (p.deceasedDateTime !== undefined) {
    // The date of death is kept as precise as the server gave it (a date, or a date-time).
    if (FHIR_DATE_TIME.test(p.deceasedDateTime)) contact.deceasedAt = p.deceasedDateTime;
    else drop('deceasedDateTime', 'invalid_date');
  }
  const related = p.contact ?? [];
  for (let i = 0; i < related.length; i++) {
    const c = related[i]!;
    const person: RelatedPerson = { relationship: [], phones: [] };
    const name = c.name ? readName(c.name) : undefined;
    if (name) person.name = name;
    for (const r of c.relationship ?? []) {
      const codings = toCodings(r);
      if (codings.length > 0) person.relationship.push(...codings);
      else if (nonEmpty(r.text)) person.relationship.push({ code: r.text!.trim(), display: r.text! });
    }
    const telecom = readTelecom(c.telecom ?? [], `contact.${i}.telecom`, options, drop);
    person.phones = telecom.phones;
    if (telecom.emails.length > 0) person.emails = telecom.emails;
    if (c.address) person.address = readAddress(c.address);
    if (c.gender && GENDERS.has(c.gender)) person.gender = c.gender as RelatedPerson['gender'];
    if (person.name || person.phones.length > 0 || person.emails || person.address) {
      contact.relatedPersons ??= [];
      contact.relatedPersons.push(person);
    } else drop(`contact.${i}`, 'empty_contact');
  }
  if (p.active !== undefined) contact.active = p.active;
  const updated = p.meta?.lastUpdated;
  if (updated && !Number.isNaN(Date.parse(updated))) contact.updatedAt = updated;
  return contact;
}

function toHumanName(name: PersonName): HumanName | undefined {
  const given = nonEmptyList(name.given);
  const prefix = nonEmptyList(name.prefix);
  const suffix = nonEmptyList(name.suffix);
  const out: HumanName = {
    ...(name.language && { extension: [{ url: LANGUAGE_EXTENSION, valueCode: name.language }] }),
    ...(name.use && { use: name.use }),
    ...(nonEmpty(name.text) && { text: name.text }),
    ...(nonEmpty(name.family) && { family: name.family }),
    ...(given && { given }),
    ...(prefix && { prefix }),
    ...(suffix && { suffix }),
  };
  return out.text || out.family || out.given ? out : undefined;
}

function toAddress(a: PostalAddress): Address | undefined {
  const line = nonEmptyList(a.line);
  const out: Address = {
    ...(a.use && { use: a.use }),
    ...(nonEmpty(a.text) && { text: a.text }),
    ...(line && { line }),
    ...(nonEmpty(a.city) && { city: a.city }),
    ...(nonEmpty(a.district) && { district: a.district }),
    ...(nonEmpty(a.state) && { state: a.state }),
    ...(nonEmpty(a.postalCode) && { postalCode: a.postalCode }),
    ...(nonEmpty(a.country) && { country: a.country }),
  };
  return Object.keys(out).length > (out.use ? 1 : 0) ? out : undefined;
}

/**
 * Maps a canonical Contact to a FHIR R4 Patient that validates against the FHIR schema: names with
 * `use` and a `language` extension, typed identifiers (v2-0203 MR / NI / PRC / PPN) with the
 * configured systems, phones (already E.164) and emails as `telecom`, address, `communication`
 * (first language preferred). The Patient's `id` is the Contact's FHIR source id when it has one.
 * An invalid Contact throws a ValidationError naming the path, never the value.
 */
export function contactToFhirPatient(contact: ContactInput | Contact, options: FhirMapOptions = {}): Patient {
  const c = parseOrThrow(ContactSchema, contact, 'Contact');
  const name = c.names.flatMap((n) => toHumanName(n) ?? []);
  const telecom = toTelecom(c.phones, c.emails);
  const contactParts = (c.relatedPersons ?? []).flatMap((r) => toPatientContact(r) ?? []);
  const address = c.addresses.flatMap((a) => toAddress(a) ?? []);
  const identifier = c.identifiers.map((id) => toFhirIdentifier(id, options.identifierSystems));
  const communication = [...new Set(c.languages)].map((code, i) => ({
    language: { coding: [{ system: BCP47, code }] },
    ...(i === 0 && { preferred: true }),
  }));
  const maritalStatus = c.maritalStatus ? toConcept([c.maritalStatus]) : undefined;
  const id = c.source?.system === FHIR_SOURCE_SYSTEM ? c.source.id : undefined;
  return {
    resourceType: 'Patient',
    ...(id && { id }),
    ...(identifier.length > 0 && { identifier }),
    ...(c.active !== undefined && { active: c.active }),
    ...(name.length > 0 && { name }),
    ...(telecom.length > 0 && { telecom }),
    ...(c.gender && { gender: c.gender }),
    ...(c.birthDate && { birthDate: c.birthDate }),
    // deceased[x] is a choice: the date when known (it implies deceased), else the flag.
    ...(c.deceasedAt && c.deceased !== false
      ? { deceasedDateTime: c.deceasedAt }
      : c.deceased !== undefined && { deceasedBoolean: c.deceased }),
    ...(address.length > 0 && { address }),
    ...(maritalStatus && { maritalStatus }),
    ...(communication.length > 0 && { communication }),
    ...(contactParts.length > 0 && { contact: contactParts }),
  };
}

/**
 * Phones then emails as FHIR telecom. Ranks are written as read; phones without ranks are ranked
 * in order (the first phone is the preferred one), which is also how ranks 1, 2, 3… were read.
 */
function toTelecom(phones: readonly ContactPhone[], emails: readonly ContactEmail[]): ContactPoint[] {
  const explicit = phones.some((p) => p.rank !== undefined);
  return [
    ...phones.map(
      (ph, i): ContactPoint => ({
        system: 'phone',
        value: ph.value,
        ...(ph.use && { use: ph.use }),
        ...(explicit ? ph.rank !== undefined && { rank: ph.rank } : { rank: i + 1 }),
      }),
    ),
    ...emails.map(
      (e): ContactPoint => ({
        system: 'email',
        value: e.value,
        ...(e.use && { use: e.use }),
        ...(e.rank !== undefined && { rank: e.rank }),
      }),
    ),
  ];
}

/** A related person as a FHIR `Patient.contact`; undefined when nothing of it can be written. */
function toPatientContact(person: RelatedPerson): PatientContact | undefined {
  const name = person.name ? toHumanName(person.name) : undefined;
  const telecom = toTelecom(person.phones, person.emails ?? []);
  const address = person.address ? toAddress(person.address) : undefined;
  const relationship = person.relationship.flatMap((r) => toConcept([r]) ?? []);
  const out: PatientContact = {
    ...(relationship.length > 0 && { relationship }),
    ...(name && { name }),
    ...(telecom.length > 0 && { telecom }),
    ...(address && { address }),
    ...(person.gender && { gender: person.gender }),
  };
  // FHIR invariant pat-1: a contact has a name, telecom, address or organization.
  return name || telecom.length > 0 || address ? out : undefined;
}
