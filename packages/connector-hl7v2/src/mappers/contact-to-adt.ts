import { type ContactInput, formatIssues, toValidationIssues, ValidationError } from '@hmi/core';
import { Contact } from '@hmi/core/schemas';
import { formatHl7Timestamp, newControlId } from '../ack.js';
import type { Hl7Message } from '../parser/message.js';
import { parseHl7 } from '../parser/parse.js';
import { ADDRESS_USE_TO_HL7, GENDER_TO_HL7, identifierTypeCode, NAME_USE_TO_HL7 } from './codes.js';
import { hl7SystemName, toHl7Date } from './datatypes.js';

/** Options of {@link contactToAdt}. */
export interface ContactToAdtOptions {
  /** `A28` (add person information) or `A31` (update person information). */
  trigger: 'A28' | 'A31';
  sendingApplication?: string;
  sendingFacility?: string;
  receivingApplication?: string;
  receivingFacility?: string;
  /** MSH-12. Default `2.5.1`. */
  version?: string;
  /** MSH-11. Default `P` (production). */
  processingId?: string;
  /** MSH-10; random by default. Reuse it when you resend the same update. */
  controlId?: string;
  /** MSH-7 and EVN-2; now by default. */
  timestamp?: Date;
}

const PHONE_CODE = { mobile: 'PRN', home: 'PRN', work: 'WPN', temp: 'VHN', old: 'PRN' } as const;
const EMAIL_CODE = { home: 'PRN', work: 'WPN', temp: 'VHN', old: 'PRN' } as const;

/**
 * Builds an ADT A28 or A31 from a Contact: MSH, EVN, PID (identifiers with type codes, names with
 * name types, birth date, sex, addresses, phones and emails as XTN with the E.164 number in XTN-1
 * and XTN-12, first language, marital status, death flag) and PV1 (`N`, no visit). Work phones and
 * emails go to PID-14; `old` ones carry the message date as XTN-14 end date. Values are escaped.
 * The result parses and maps back through {@link adtToContact}. Throws a ValidationError for an
 * invalid Contact.
 */
export function contactToAdt(input: ContactInput, options: ContactToAdtOptions): Hl7Message {
  const parsed = Contact.safeParse(input);
  if (!parsed.success) {
    const issues = toValidationIssues(parsed.error);
    throw new ValidationError(`contact is invalid: ${formatIssues(issues)}`, { issues, connector: 'hl7v2' });
  }
  const c = parsed.data;
  const ts = formatHl7Timestamp(options.timestamp ?? new Date());
  const today = ts.slice(0, 8);
  const msg = parseHl7('MSH|^~\\&|');
  const set = (path: string, v: string | undefined) => {
    if (v !== undefined && v !== '') msg.set(path, v);
  };
  set('MSH-3', options.sendingApplication ?? 'HMI');
  set('MSH-4', options.sendingFacility);
  set('MSH-5', options.receivingApplication);
  set('MSH-6', options.receivingFacility);
  set('MSH-7', ts);
  msg.set('MSH-9.1', 'ADT').set('MSH-9.2', options.trigger).set('MSH-9.3', 'ADT_A05');
  set('MSH-10', options.controlId ?? newControlId());
  set('MSH-11', options.processingId ?? 'P');
  set('MSH-12', options.version ?? '2.5.1');
  set('MSH-18', 'UNICODE UTF-8');
  msg.set('EVN-1', options.trigger).set('EVN-2', ts);
  msg.set('PID-1', '1');

  c.identifiers.forEach((id, i) => {
    const r = `PID-3[${i + 1}]`;
    msg.set(`${r}.1`, id.value);
    if (id.system?.startsWith('urn:oid:')) msg.set(`${r}.4.2`, id.system.slice(8)).set(`${r}.4.3`, 'ISO');
    else set(`${r}.4.1`, id.system);
    msg.set(`${r}.5`, identifierTypeCode(id));
  });
  c.names.forEach((n, i) => {
    const r = `PID-5[${i + 1}]`;
    const given = n.given ?? [];
    set(`${r}.1.1`, n.family ?? (given.length === 0 ? n.text : undefined));
    set(`${r}.2`, given[0]);
    set(`${r}.3`, given.slice(1).join(' '));
    // XPN-4 holds one suffix (III); further ones go to XPN-6, the degree (MD), as the reader expects.
    set(`${r}.4`, n.suffix?.[0]);
    set(`${r}.5`, n.prefix?.join(' '));
    set(`${r}.6`, n.suffix?.slice(1).join(' '));
    set(`${r}.7`, n.use ? NAME_USE_TO_HL7[n.use] : undefined);
  });
  if (c.names.length === 0) msg.set('PID-5', '');
  set('PID-7', c.birthDate ? toHl7Date(c.birthDate) : undefined);
  set('PID-8', c.gender ? GENDER_TO_HL7[c.gender] : undefined);
  c.addresses.forEach((a, i) => {
    const r = `PID-11[${i + 1}]`;
    const line = a.line ?? (a.text ? [a.text] : []);
    set(`${r}.1.1`, line[0]);
    set(`${r}.2`, line.slice(1).join(', '));
    set(`${r}.3`, a.city);
    set(`${r}.4`, a.state);
    set(`${r}.5`, a.postalCode);
    set(`${r}.6`, a.country);
    set(`${r}.7`, a.use ? ADDRESS_USE_TO_HL7[a.use] : undefined);
    set(`${r}.9`, a.district);
  });
  const home: Array<(r: string) => void> = [];
  const work: Array<(r: string) => void> = [];
  for (const p of c.phones) {
    (p.use === 'work' ? work : home).push((r) => {
      msg
        .set(`${r}.1`, p.value)
        .set(`${r}.2`, PHONE_CODE[p.use ?? 'home'])
        .set(`${r}.3`, p.use === 'mobile' ? 'CP' : 'PH');
      msg.set(`${r}.12`, p.value);
      if (p.use === 'old') msg.set(`${r}.14`, today);
    });
  }
  for (const e of c.emails) {
    (e.use === 'work' ? work : home).push((r) => {
      msg
        .set(`${r}.2`, e.use ? EMAIL_CODE[e.use] : 'NET')
        .set(`${r}.3`, 'Internet')
        .set(`${r}.4`, e.value);
      if (e.use === 'old') msg.set(`${r}.14`, today);
    });
  }
  for (const [i, write] of home.entries()) write(`PID-13[${i + 1}]`);
  for (const [i, write] of work.entries()) write(`PID-14[${i + 1}]`);
  set('PID-15', c.languages[0]);
  set('PID-16.1', c.maritalStatus?.code);
  set('PID-16.2', c.maritalStatus?.display);
  if (c.deceasedAt) set('PID-29', toHl7Date(c.deceasedAt.slice(0, 10)));
  if (c.deceased !== undefined) msg.set('PID-30', c.deceased ? 'Y' : 'N');
  (c.relatedPersons ?? []).forEach((person, i) => {
    const nk1 = `NK1[${i + 1}]`;
    msg.set(`${nk1}-1`, String(i + 1));
    const n = person.name;
    const given = n?.given ?? [];
    set(`${nk1}-2.1.1`, n?.family ?? (given.length === 0 ? n?.text : undefined));
    set(`${nk1}-2.2`, given[0]);
    set(`${nk1}-2.3`, given.slice(1).join(' '));
    set(`${nk1}-2.4`, n?.suffix?.[0]);
    set(`${nk1}-2.5`, n?.prefix?.join(' '));
    set(`${nk1}-2.6`, n?.suffix?.slice(1).join(' '));
    set(`${nk1}-2.7`, n?.use ? NAME_USE_TO_HL7[n.use] : undefined);
    const roles = person.relationship.filter((r) => hl7SystemName(r.system) === 'HL70131');
    const kin = person.relationship.filter((r) => hl7SystemName(r.system) !== 'HL70131').slice(0, 2);
    kin.forEach((r, k) => {
      set(`${nk1}-3.${k * 3 + 1}`, r.code);
      set(`${nk1}-3.${k * 3 + 2}`, r.display);
      set(`${nk1}-3.${k * 3 + 3}`, hl7SystemName(r.system));
    });
    if (roles[0]) {
      set(`${nk1}-7.1`, roles[0].code);
      set(`${nk1}-7.2`, roles[0].display);
      msg.set(`${nk1}-7.3`, 'HL70131');
    }
    const a = person.address;
    if (a) {
      const line = a.line ?? (a.text ? [a.text] : []);
      set(`${nk1}-4.1.1`, line[0]);
      set(`${nk1}-4.2`, line.slice(1).join(', '));
      set(`${nk1}-4.3`, a.city);
      set(`${nk1}-4.4`, a.state);
      set(`${nk1}-4.5`, a.postalCode);
      set(`${nk1}-4.6`, a.country);
      set(`${nk1}-4.7`, a.use ? ADDRESS_USE_TO_HL7[a.use] : undefined);
      set(`${nk1}-4.9`, a.district);
    }
    let home = 0;
    let work = 0;
    for (const p of person.phones) {
      const r = p.use === 'work' ? `${nk1}-6[${++work}]` : `${nk1}-5[${++home}]`;
      msg
        .set(`${r}.1`, p.value)
        .set(`${r}.2`, PHONE_CODE[p.use ?? 'home'])
        .set(`${r}.3`, p.use === 'mobile' ? 'CP' : 'PH')
        .set(`${r}.12`, p.value);
    }
    for (const e of person.emails ?? []) {
      const r = e.use === 'work' ? `${nk1}-6[${++work}]` : `${nk1}-5[${++home}]`;
      msg
        .set(`${r}.2`, e.use ? EMAIL_CODE[e.use] : 'NET')
        .set(`${r}.3`, 'Internet')
        .set(`${r}.4`, e.value);
    }
  });
  msg.set('PV1-1', '1').set('PV1-2', 'N');
  return parseHl7(msg.toString());
}
