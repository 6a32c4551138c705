// A naive reference mapper, FHIR R4 Patient → canonical Contact, written independently of
// src/mappers from the FHIR R4 spec (Patient, HumanName, ContactPoint, Identifier, Address,
// CodeableConcept; JSON representation) and the mapping rules in the connector's README: the way
// an integrator would write it with zod 4 and libphonenumber-js: parse the whole resource with a
// zod schema (a stripped copy), then map field by field. It is the peer of bench/fhir and the
// oracle of test/mapper-differential.test.ts; it shares no code with the connector's mapper.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

// ---- FHIR R4 JSON, the elements this mapping reads ----------------------------------------------
/** A primitive array in FHIR JSON may hold `null` where only `_given` carries an extension. */
const primitiveStrings = z.array(z.string().nullable()).transform((a) => a.filter((v): v is string => v !== null));
const Coding = z.object({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() });
const CodeableConcept = z.object({ coding: z.array(Coding).optional(), text: z.string().optional() });
const Extension = z.object({ url: z.string(), valueCode: z.unknown().optional() });
const HumanName = z.object({
  use: z.string().optional(),
  text: z.string().optional(),
  family: z.string().optional(),
  given: primitiveStrings.optional(),
  prefix: primitiveStrings.optional(),
  suffix: primitiveStrings.optional(),
  extension: z.array(Extension).optional(),
});
const ContactPoint = z.object({
  system: z.string().optional(),
  value: z.string().optional(),
  use: z.string().optional(),
  rank: z.number().optional(),
});
const Identifier = z.object({
  use: z.string().optional(),
  type: CodeableConcept.optional(),
  system: z.string().optional(),
  value: z.string().optional(),
});
const Address = z.object({
  use: z.string().optional(),
  text: z.string().optional(),
  line: primitiveStrings.optional(),
  city: z.string().optional(),
  district: z.string().optional(),
  state: z.string().optional(),
  postalCode: z.string().optional(),
  country: z.string().optional(),
});
export const NaivePatient = z.object({
  resourceType: z.literal('Patient'),
  id: z.string().optional(),
  meta: z.object({ versionId: z.string().optional(), lastUpdated: z.string().optional() }).optional(),
  identifier: z.array(Identifier).optional(),
  active: z.boolean().optional(),
  name: z.array(HumanName).optional(),
  telecom: z.array(ContactPoint).optional(),
  gender: z.string().optional(),
  birthDate: z.string().optional(),
  deceasedBoolean: z.boolean().optional(),
  deceasedDateTime: z.string().optional(),
  address: z.array(Address).optional(),
  maritalStatus: CodeableConcept.optional(),
  communication: z.array(z.object({ language: CodeableConcept, preferred: z.boolean().optional() })).optional(),
  contact: z
    .array(
      z.object({
        relationship: z.array(CodeableConcept).optional(),
        name: HumanName.optional(),
        telecom: z.array(ContactPoint).optional(),
        address: Address.optional(),
        gender: z.string().optional(),
      }),
    )
    .optional(),
});
type P = z.infer<typeof NaivePatient>;

/** A searchset Bundle whose entries are resources (each mapped by its own schema). */
export const NaiveBundle = z.object({
  resourceType: z.literal('Bundle'),
  type: z.string(),
  link: z.array(z.object({ relation: z.string(), url: z.string() })).optional(),
  entry: z
    .array(
      z.object({
        fullUrl: z.string().optional(),
        resource: z.looseObject({ resourceType: z.string() }).optional(),
        search: z.object({ mode: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});

// ---- Mapping rules ----------------------------------------------------------------------------
const LANGUAGE_EXT = 'http://hl7.org/fhir/StructureDefinition/language';
const DEFAULT_SYSTEMS: Array<[string, string]> = [
  ['national-id', 'http://nphies.sa/identifier/nationalid'],
  ['iqama', 'http://nphies.sa/identifier/iqama'],
  ['passport', 'http://nphies.sa/identifier/passportnumber'],
];
// HL7 v2 table 0203 codes → canonical identifier kinds, and each kind's own code.
const KIND_OF_CODE: Record<string, string> = {
  MR: 'mrn',
  MRN: 'mrn',
  MRT: 'mrn',
  PI: 'mrn',
  PT: 'mrn',
  PN: 'mrn',
  NI: 'national-id',
  NH: 'national-id',
  NID: 'national-id',
  CZ: 'national-id',
  SS: 'national-id',
  SSN: 'national-id',
  PRC: 'iqama',
  IQ: 'iqama',
  IQAMA: 'iqama',
  PPN: 'passport',
  PP: 'passport',
  DL: 'driver-license',
  DN: 'other',
  MB: 'insurance',
  MC: 'insurance',
  MA: 'insurance',
  MI: 'insurance',
  SN: 'insurance',
  HC: 'insurance',
};
const CODE_OF_KIND: Record<string, string | undefined> = {
  mrn: 'MR',
  'national-id': 'NI',
  iqama: 'PRC',
  passport: 'PPN',
  'driver-license': 'DL',
  insurance: 'MB',
  other: undefined,
};
const ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
const LANG = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;
const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const DATE_TIME =
  /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/;
const NAME_USES = ['official', 'usual', 'nickname', 'anonymous', 'old', 'maiden', 'temp'];
const PHONE_USES = ['mobile', 'home', 'work', 'temp', 'old'];
const EMAIL_USES = ['home', 'work', 'temp', 'old'];
const ADDRESS_USES = ['home', 'work', 'temp', 'old', 'billing'];
const GENDERS = ['male', 'female', 'other', 'unknown'];

const filled = (s: string | undefined): s is string => typeof s === 'string' && s.trim() !== '';
const filledList = (a: string[] | undefined) => {
  const kept = (a ?? []).filter(filled);
  return kept.length ? kept : undefined;
};
const codings = (c: z.infer<typeof CodeableConcept> | undefined) =>
  (c?.coding ?? [])
    .filter((x) => x.code)
    .map((x) => ({ code: x.code!, ...(x.system ? { system: x.system } : {}), ...(x.display ? { display: x.display } : {}) }));

function phoneE164(raw: string, region: string | undefined): string | undefined {
  const cleaned = raw
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim()
    .replace(/^00(?=[1-9])/, '+');
  if (!cleaned || cleaned.length > 40) return undefined;
  const parsed = parsePhoneNumberFromString(cleaned, region ? { defaultCountry: region.toUpperCase() as CountryCode } : {});
  return parsed?.isValid() ? parsed.number : undefined;
}

function name(n: z.infer<typeof HumanName>) {
  const ext = n.extension?.find((e) => e.url === LANGUAGE_EXT)?.valueCode;
  const language =
    typeof ext === 'string' && LANG.test(ext)
      ? ext
      : ARABIC.test([n.text, n.family, ...(n.given ?? [])].join(' '))
        ? 'ar'
        : undefined;
  const out = {
    ...(n.use && NAME_USES.includes(n.use) ? { use: n.use } : {}),
    ...(filled(n.text) ? { text: n.text } : {}),
    ...(filled(n.family) ? { family: n.family } : {}),
    ...(filledList(n.given) ? { given: filledList(n.given) } : {}),
    ...(filledList(n.prefix) ? { prefix: filledList(n.prefix) } : {}),
    ...(filledList(n.suffix) ? { suffix: filledList(n.suffix) } : {}),
    ...(language ? { language } : {}),
  };
  return out.text || out.family || out.given ? out : undefined;
}

function address(a: z.infer<typeof Address>) {
  return {
    ...(a.use && ADDRESS_USES.includes(a.use) ? { use: a.use } : {}),
    ...(filled(a.text) ? { text: a.text } : {}),
    ...(filledList(a.line) ? { line: filledList(a.line) } : {}),
    ...(filled(a.city) ? { city: a.city } : {}),
    ...(filled(a.district) ? { district: a.district } : {}),
    ...(filled(a.state) ? { state: a.state } : {}),
    ...(filled(a.postalCode) ? { postalCode: a.postalCode } : {}),
    ...(filled(a.country) ? { country: a.country } : {}),
  };
}

/** ContactPoint.rank: 1 is the most preferred; unranked after ranked; the server's order otherwise. */
function telecom(points: Array<z.infer<typeof ContactPoint>>, region: string | undefined) {
  const key = (r: number | undefined) => (typeof r === 'number' && r > 0 ? r : Number.POSITIVE_INFINITY);
  const sorted = points.some((t) => t.rank !== undefined)
    ? points
        .map((t, i) => ({ t, i }))
        .sort((a, b) => key(a.t.rank) - key(b.t.rank) || a.i - b.i)
        .map((x) => x.t)
    : points;
  const phones: Array<{ value: string; use?: string; rank?: number }> = [];
  const emails: Array<{ value: string; use?: string; rank?: number }> = [];
  for (const t of sorted) {
    if (!t.value) continue;
    const rank = Number.isInteger(t.rank) && t.rank! > 0 ? { rank: t.rank! } : {};
    if (t.system === 'phone' || t.system === 'sms') {
      const value = phoneE164(t.value, region);
      if (value && !phones.some((p) => p.value === value)) {
        phones.push({ value, ...(t.use && PHONE_USES.includes(t.use) ? { use: t.use } : {}), ...rank });
      }
    } else if (t.system === 'email') {
      const value = t.value.trim();
      if (z.regexes.email.test(value)) {
        emails.push({ value, ...(t.use && EMAIL_USES.includes(t.use) ? { use: t.use } : {}), ...rank });
      }
    }
  }
  // Ranks that only restate the order (1, 2, 3…) are not kept.
  const phonesOut = phones.every((p, i) => p.rank === i + 1) ? phones.map(({ rank: _, ...p }) => p) : phones;
  return { phones: phonesOut, emails };
}

function identifierKind(id: z.infer<typeof Identifier>): string {
  const bySystem = DEFAULT_SYSTEMS.find(([, system]) => id.system && system === id.system);
  if (bySystem) return bySystem[0];
  for (const c of id.type?.coding ?? []) {
    const code = c.code?.trim().toUpperCase();
    if (!code) continue;
    const kind = KIND_OF_CODE[code] ?? (/^NN[A-Z]{3}$/.test(code) ? 'national-id' : undefined);
    if (kind) return kind;
  }
  const hint = `${id.system ?? ''} ${id.type?.text ?? ''}`.toLowerCase();
  if (/iqama|residen/.test(hint)) return 'iqama';
  if (/national|civil|emirates|\bnid\b/.test(hint)) return 'national-id';
  if (/passport/.test(hint)) return 'passport';
  if (/\bmrn\b|medical record/.test(hint)) return 'mrn';
  return 'other';
}

/** Parses `resource` as a FHIR Patient (throws zod's error when it is not one) and maps it. */
export function naivePatientToContact(resource: unknown, options: { defaultRegion?: string } = {}) {
  const p: P = NaivePatient.parse(resource);
  const region = options.defaultRegion;
  const identifiers = (p.identifier ?? [])
    .filter((id) => filled(id.value))
    .map((id) => {
      const type = identifierKind(id);
      const code = id.type?.coding
        ?.find((c) => filled(c.code))
        ?.code?.trim()
        .toUpperCase();
      return {
        type,
        value: id.value!,
        ...(filled(id.system) ? { system: id.system } : {}),
        ...(code !== undefined && code !== 'U' && CODE_OF_KIND[type] !== code ? { code } : {}),
      };
    });
  const own = telecom(p.telecom ?? [], region);
  const communication = [...(p.communication ?? [])].sort((a, b) => Number(b.preferred === true) - Number(a.preferred === true));
  const languages: string[] = [];
  for (const c of communication) {
    const code = c.language.coding?.find((x) => x.code && LANG.test(x.code))?.code;
    if (code && !languages.includes(code)) languages.push(code);
  }
  const relatedPersons = (p.contact ?? []).flatMap((c) => {
    const n = c.name ? name(c.name) : undefined;
    const t = telecom(c.telecom ?? [], region);
    const person = {
      relationship: (c.relationship ?? []).flatMap((r) => {
        const list = codings(r);
        if (list.length) return list;
        return filled(r.text) ? [{ code: r.text.trim(), display: r.text }] : [];
      }),
      phones: t.phones,
      ...(n ? { name: n } : {}),
      ...(t.emails.length ? { emails: t.emails } : {}),
      ...(c.address ? { address: address(c.address) } : {}),
      ...(c.gender && GENDERS.includes(c.gender) ? { gender: c.gender } : {}),
    };
    return n || person.phones.length || person.emails || person.address ? [person] : [];
  });
  const deceased = p.deceasedBoolean ?? (p.deceasedDateTime !== undefined ? true : undefined);
  const marital = codings(p.maritalStatus)[0];
  const updated = p.meta?.lastUpdated;
  return {
    kind: 'patient',
    ...(p.id ? { source: { system: 'fhir', id: p.id } } : {}),
    identifiers,
    names: (p.name ?? []).flatMap((n) => name(n) ?? []),
    phones: own.phones,
    emails: own.emails,
    addresses: (p.address ?? []).map(address),
    languages,
    ...(p.gender !== undefined && GENDERS.includes(p.gender) ? { gender: p.gender } : {}),
    ...(p.birthDate !== undefined && DATE.test(p.birthDate) ? { birthDate: p.birthDate } : {}),
    ...(marital ? { maritalStatus: marital } : {}),
    ...(deceased !== undefined ? { deceased } : {}),
    ...(p.deceasedDateTime !== undefined && DATE_TIME.test(p.deceasedDateTime) ? { deceasedAt: p.deceasedDateTime } : {}),
    ...(relatedPersons.length ? { relatedPersons } : {}),
    ...(p.active !== undefined ? { active: p.active } : {}),
    ...(updated && !Number.isNaN(Date.parse(updated)) ? { updatedAt: updated } : {}),
  };
}

/** A searchset Bundle's text → the Contacts of its matching Patients and the next page's link. */
export function naiveSearchPage(text: string, options: { defaultRegion?: string } = {}) {
  const bundle = NaiveBundle.parse(JSON.parse(text));
  const contacts: Array<ReturnType<typeof naivePatientToContact>> = [];
  for (const e of bundle.entry ?? []) {
    if (e.resource?.resourceType !== 'Patient' || (e.search?.mode !== undefined && e.search.mode !== 'match')) continue;
    contacts.push(naivePatientToContact(e.resource, options));
  }
  return { contacts, next: bundle.link?.find((l) => l.relation === 'next')?.url };
}

/** A searchset Bundle's text → the Contacts of its matching Patients, the naive way. */
export function naiveBundleToContacts(text: string, options: { defaultRegion?: string } = {}) {
  return naiveSearchPage(text, options).contacts;
}
