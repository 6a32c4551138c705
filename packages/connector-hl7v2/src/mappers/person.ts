import { ContactEmail, type ContactInput, type PersonIdentifier, type PersonName, type PostalAddress } from '@hmi/core';
import { tryNormalizePhone } from '@hmi/phone';
import type { Hl7Message } from '../parser/message.js';
import { ADDRESS_USE_FROM_HL7, GENDER_FROM_HL7, identifierType, languageTag, NAME_USE_FROM_HL7 } from './codes.js';
import { comp, hasArabic, hl7Date, type Hl7MapOptions, type Hl7MappingIssue, type Rep, reps, sub, value } from './datatypes.js';

/** An identifier from a CX repetition; `untypedAs` is used when CX-5 is empty. */
export function cxIdentifier(rep: Rep, untypedAs: PersonIdentifier['type'] | undefined): PersonIdentifier | undefined {
  const id = comp(rep, 1);
  if (id === '' || id === '""') return undefined;
  const namespace = sub(rep, 4, 1);
  const universal = sub(rep, 4, 2);
  const universalType = sub(rep, 4, 3).toUpperCase();
  const system = universal && universalType === 'ISO' ? `urn:oid:${universal}` : namespace || universal || undefined;
  const code = comp(rep, 5);
  const type = code === '' ? untypedAs : identifierType(code, `${namespace} ${universal}`);
  if (type === undefined) return undefined;
  return { type, value: id, ...(system && { system }) };
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
  if (ssn) add({ type: 'national-id', value: ssn, system: 'SSN' });
  return out;
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
  const street = (rep[0] ?? []).map((s) => s.trim()).filter((s) => s !== '' && s !== '""');
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
    if (NOT_VOICE.has(equipment)) continue;
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
  const deceased = deceasedFlag === 'Y' ? true : deceasedFlag === 'N' ? false : value(msg, `${pid}-29.1`) ? true : undefined;

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
  };
}
