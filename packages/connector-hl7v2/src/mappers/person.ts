import {
  type Coding,
  type Contact,
  IDENTIFIER_TYPE_CODES,
  type ContactInput,
  type ContactUpdate,
  type PersonIdentifier,
  type PersonName,
  type PostalAddress,
  type RelatedPerson,
} from '@hmi/core';
import { ContactEmail } from '@hmi/core/schemas';
import { tryNormalizePhone } from '@hmi/phone';
import type { Hl7Message } from '../parser/message.js';
import { ADDRESS_USE_FROM_HL7, GENDER_FROM_HL7, identifierType, languageTag, NAME_USE_FROM_HL7 } from './codes.js';
import {
  codings,
  comp,
  fieldState,
  hasArabic,
  hl7Date,
  type Hl7MapOptions,
  type Hl7MappingIssue,
  type Rep,
  reps,
  sub,
  value,
} from './datatypes.js';

/** An identifier from a CX repetition; `untypedAs` is used when CX-5 is empty. */
export function cxIdentifier(rep: Rep, untypedAs: PersonIdentifier['type'] | undefined): PersonIdentifier | undefined {
  const id = comp(rep, 1);
  if (id === '') return undefined;
  const namespace = sub(rep, 4, 1);
  const universal = sub(rep, 4, 2);
  const universalType = sub(rep, 4, 3).toUpperCase();
  const system = universal && universalType === 'ISO' ? `urn:oid:${universal}` : namespace || universal || undefined;
  const code = comp(rep, 5);
  const type = code === '' ? untypedAs : identifierType(code, `${namespace} ${universal}`);
  if (type === undefined) return undefined;
  // The code is kept only when it says more than the kind (SS, NNSAU, not MR for an MRN).
  const keep = code !== '' && code.toUpperCase() !== 'U' && IDENTIFIER_TYPE_CODES[type] !== code.toUpperCase();
  return { type, value: id, ...(system && { system }), ...(keep && { code: code.toUpperCase() }) };
}

/** Identifiers of PID-3 (and PID-2, PID-4, PID-19), without duplicates. Untyped PID-3 entries are MRNs. */
export function pidIdentifiers(msg: Hl7Message, pid: string): PersonIdentifier[] {
  const out: PersonIdentifier[] = [];
  const add = (identifier: PersonIdentifier | undefined) => {
    if (!identifier) return;
    if (out.some((o) => o.type === identifier.type && o.value === identifier.value && o.system === identifier.system)) return;
    out.push(identifier);
  };
  for (const { rep } of reps(msg, `${pid}-3`)) add(cxIdentifier(rep, 'mrn'));
  for (const field of [2, 4]) for (const { rep } of reps(msg, `${pid}-${field}`)) add(cxIdentifier(rep, 'other'));
  const ssn = value(msg, `${pid}-19`);
  if (ssn) add({ type: 'national-id', value: ssn, system: 'SSN', code: 'SS' });
  return out;
}

/**
 * The PID segment that describes the patient: the first with any value past PID-1 (its set ID).
 * Some senders put an empty PID before the real one; it must not become an empty patient.
 * Undefined when every PID is empty.
 */
export function patientPid(msg: Hl7Message): string | undefined {
  const count = msg.count('PID');
  for (let i = 1; i <= count; i++) {
    // PID has 39 fields (v2.8); identifiers and the name come first, so the loop usually stops at 3.
    for (let field = 2; field <= 39; field++) if (fieldState(msg, `PID[${i}]-${field}`) === 'present') return `PID[${i}]`;
  }
  return undefined;
}

function xpnName(rep: Rep): PersonName | undefined {
  const family = sub(rep, 1, 1);
  const given = [comp(rep, 2), ...comp(rep, 3).split(/\s+/)].filter((g) => g !== '');
  const suffix = [comp(rep, 4), comp(rep, 6)].filter((g) => g !== '');
  const prefix = comp(rep, 5);
  if (family === '' && given.length === 0) return undefined;
  const use = NAME_USE_FROM_HL7[comp(rep, 7).toUpperCase()];
  const text = [...given, family].filter((p) => p !== '').join(' ');
  return {
    ...(use && { use }),
    text,
    ...(given.length > 0 && { given }),
    ...(family && { family }),
    ...(prefix && { prefix: [prefix] }),
    ...(suffix.length > 0 && { suffix }),
    ...(hasArabic(text) && { language: 'ar' }),
  };
}

function xadAddress(rep: Rep): PostalAddress | undefined {
  const street = (rep[0] ?? []).map((s) => s.trim()).filter((s) => s !== '' && s !== '""'); // `""` is a null, not a line
  const line = [street.join(' '), comp(rep, 2)].filter((l) => l !== '');
  const city = comp(rep, 3);
  const state = comp(rep, 4);
  const postalCode = comp(rep, 5);
  const country = comp(rep, 6);
  const district = comp(rep, 9);
  if (line.length === 0 && !city && !state && !postalCode && !country && !district) return undefined;
  const use = ADDRESS_USE_FROM_HL7[comp(rep, 7).toUpperCase()];
  return {
    ...(use && { use }),
    ...(line.length > 0 && { line }),
    ...(city && { city }),
    ...(district && { district }),
    ...(state && { state }),
    ...(postalCode && { postalCode }),
    ...(country && { country }),
  };
}

type Telecom = Pick<ContactInput, 'phones' | 'emails'>;
type PhoneUse = 'mobile' | 'home' | 'work' | 'temp' | 'old';

const NOT_VOICE = new Set(['FX', 'MD', 'BP']);
const EMAIL_EQUIPMENT = new Set(['INTERNET', 'X.400']);

/**
 * Phones (E.164) and emails of XTN repetitions. The number is taken from XTN-12 (unformatted),
 * else country/area/local (XTN-5/6/7), else XTN-1, whichever normalises first. An entry whose
 * XTN-14 end date is not after `asOf` is `old`. Faxes, modems and pagers are not contact phones.
 */
function xtnTelecom(
  msg: Hl7Message,
  fieldPath: string,
  work: boolean,
  asOf: string | undefined,
  options: Hl7MapOptions,
  into: Required<Telecom>,
  issues: Hl7MappingIssue[],
): void {
  for (const { rep, index } of reps(msg, fieldPath)) {
    const where = `${fieldPath.replace(/\[1\]/, '')}[${index}]`;
    const code = comp(rep, 2).toUpperCase();
    const equipment = comp(rep, 3).toUpperCase();
    const ends = hl7Date(comp(rep, 14));
    const expired = ends !== undefined && asOf !== undefined && ends <= asOf;
    if (EMAIL_EQUIPMENT.has(equipment) || code === 'NET') {
      const address = comp(rep, 4) || (comp(rep, 1).includes('@') ? comp(rep, 1) : '');
      const use = expired
        ? 'old'
        : work || code === 'WPN'
          ? 'work'
          : code === 'PRN' || code === 'ORN'
            ? 'home'
            : code === 'VHN'
              ? 'temp'
              : undefined;
      const parsed = ContactEmail.safeParse({ value: address, ...(use && { use }) });
      if (!parsed.success) issues.push({ path: where, reason: 'email_invalid' });
      else if (!into.emails.some((e) => e.value === parsed.data.value)) into.emails.push(parsed.data);
      continue;
    }
    if (NOT_VOICE.has(equipment)) {
      // A fax, pager or modem is not a number to call or text: reported, so nothing goes silently.
      issues.push({ path: where, reason: 'telecom_not_a_phone' });
      continue;
    }
    const local = comp(rep, 7);
    const composed = local ? `${comp(rep, 5) ? `+${comp(rep, 5)}` : ''}${comp(rep, 6)}${local}` : '';
    const candidates = [comp(rep, 12), composed, comp(rep, 1)].filter((c) => c !== '');
    if (candidates.length === 0) continue;
    let e164: string | undefined;
    for (const candidate of candidates) {
      e164 = tryNormalizePhone(candidate, { defaultRegion: options.defaultRegion });
      if (e164) break;
    }
    if (!e164) {
      issues.push({ path: where, reason: 'phone_not_normalisable' });
      continue;
    }
    const use: PhoneUse = expired
      ? 'old'
      : work || code === 'WPN'
        ? 'work'
        : code === 'VHN'
          ? 'temp'
          : equipment === 'CP'
            ? 'mobile'
            : 'home';
    if (!into.phones.some((p) => p.value === e164)) into.phones.push({ value: e164, use });
  }
}

/** The parts of a Contact that PID (segment `pid`, e.g. `PID[1]`) carries. */
export function pidToContact(msg: Hl7Message, pid: string, options: Hl7MapOptions, issues: Hl7MappingIssue[]): ContactInput {
  const names = reps(msg, `${pid}-5`).flatMap(({ rep }) => xpnName(rep) ?? []);
  const addresses = reps(msg, `${pid}-11`).flatMap(({ rep }) => xadAddress(rep) ?? []);
  const telecom: Required<Telecom> = { phones: [], emails: [] };
  const asOf = hl7Date(msg.get('MSH-7.1'));
  xtnTelecom(msg, `${pid}-13`, false, asOf, options, telecom, issues);
  xtnTelecom(msg, `${pid}-14`, true, asOf, options, telecom, issues);
  xtnTelecom(msg, `${pid}-40`, false, asOf, options, telecom, issues);

  const birthRaw = value(msg, `${pid}-7.1`);
  const birthDate = hl7Date(birthRaw);
  if (birthRaw && !birthDate) issues.push({ path: 'PID-7', reason: 'date_invalid' });
  const gender = GENDER_FROM_HL7[(value(msg, `${pid}-8`) ?? '').toUpperCase()];
  const languageRep = msg.repetitions(`${pid}-15`)[0];
  const language = languageTag(comp(languageRep, 1)) ?? languageTag(comp(languageRep, 4)) ?? languageTag(comp(languageRep, 2));
  const marital = msg.repetitions(`${pid}-16`)[0];
  const maritalCode = comp(marital, 1);
  const deceasedFlag = value(msg, `${pid}-30`)?.toUpperCase();
  const deceasedAt = hl7Date(value(msg, `${pid}-29.1`));
  const deceased = deceasedFlag === 'Y' ? true : deceasedFlag === 'N' ? false : deceasedAt ? true : undefined;
  const relatedPersons = nk1RelatedPersons(msg, options, issues);

  return {
    kind: 'patient',
    identifiers: pidIdentifiers(msg, pid),
    names,
    ...(gender && { gender }),
    ...(birthDate && { birthDate }),
    phones: telecom.phones,
    emails: telecom.emails,
    addresses,
    languages: language ? [language] : [],
    ...(maritalCode && {
      maritalStatus: {
        system: 'http://terminology.hl7.org/CodeSystem/v2-0002',
        code: maritalCode,
        ...(comp(marital, 2) && { display: comp(marital, 2) }),
      },
    }),
    ...(deceased !== undefined && { deceased }),
    ...(deceasedAt && deceased !== false && { deceasedAt }),
    ...(relatedPersons.length > 0 && { relatedPersons }),
  };
}

/**
 * Next of kin (NK1): name NK1-2, relationship NK1-3 (table 0063) and contact role NK1-7 (table
 * 0131), phones NK1-5 and NK1-6, address NK1-4.
 */
export function nk1RelatedPersons(msg: Hl7Message, options: Hl7MapOptions, issues: Hl7MappingIssue[]): RelatedPerson[] {
  const out: RelatedPerson[] = [];
  const count = msg.count('NK1');
  for (let i = 1; i <= count; i++) {
    const nk1 = `NK1[${i}]`;
    const name = reps(msg, `${nk1}-2`).flatMap(({ rep }) => xpnName(rep) ?? [])[0];
    // NK1-3 relationship (table 0063, or the sender's own), NK1-7 contact role (table 0131).
    const relationship: Coding[] = [
      ...codings(msg.repetitions(`${nk1}-3`)[0]),
      ...codings(msg.repetitions(`${nk1}-7`)[0], 'HL70131'),
    ];
    const telecom: Required<Telecom> = { phones: [], emails: [] };
    xtnTelecom(msg, `${nk1}-5`, false, undefined, options, telecom, issues);
    xtnTelecom(msg, `${nk1}-6`, true, undefined, options, telecom, issues);
    const address = reps(msg, `${nk1}-4`).flatMap(({ rep }) => xadAddress(rep) ?? [])[0];
    if (!name && telecom.phones.length === 0 && telecom.emails.length === 0) continue;
    out.push({
      ...(name && { name }),
      relationship,
      phones: telecom.phones,
      ...(telecom.emails.length > 0 && { emails: telecom.emails }),
      ...(address && { address }),
    });
  }
  return out;
}

/**
 * The Contact fields a PID sent, as an update: HL7 leaves a field empty for "no change" and sends
 * `""` for "delete", so a field that is `""` is `null` here, an empty one is left out, and the rest
 * carry the values read into `contact`.
 */
export function pidToUpdate(msg: Hl7Message, pid: string, contact: Contact): Omit<ContactUpdate, 'identifiers'> {
  const update: Omit<ContactUpdate, 'identifiers'> = {};
  const state = (field: number) => fieldState(msg, `${pid}-${field}`);
  const set = <K extends keyof ContactUpdate>(key: K, fields: number[], present: ContactUpdate[K]) => {
    const states = fields.map(state);
    if (states.includes('present')) {
      // Sent, but nothing usable came of it (an unparseable phone: see issues): no change, not a clear.
      if (present !== null && present !== undefined && !(Array.isArray(present) && present.length === 0)) {
        (update as Record<string, unknown>)[key] = present;
      }
    } else if (states.includes('null')) (update as Record<string, unknown>)[key] = null;
  };
  set('names', [5], contact.names ?? []);
  set('birthDate', [7], contact.birthDate ?? null);
  set('gender', [8], contact.gender ?? null);
  set('addresses', [11], contact.addresses ?? []);
  set('phones', [13, 14, 40], contact.phones ?? []);
  set('emails', [13, 14, 40], contact.emails ?? []);
  set('languages', [15], contact.languages ?? []);
  set('maritalStatus', [16], contact.maritalStatus ?? null);
  set('deceased', [29, 30], contact.deceased ?? null);
  set('deceasedAt', [29], contact.deceasedAt ?? null);
  if (msg.count('NK1') > 0) update.relatedPersons = contact.relatedPersons ?? [];
  return update;
}
