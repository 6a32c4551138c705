import { ConfigError } from '@hmi/core';
import { ContactUpdate } from '@hmi/core/schemas';
import { describe, expect, it } from 'vitest';
import { createHl7v2Connector, Hl7TimeZoneError, mapHl7Message, parseHl7 } from '../src/index.js';

// Probes of issue 12 (EHR fidelity): each names what it expects.
const RIYADH = { timeZone: 'Asia/Riyadh', defaultRegion: 'SA' } as const;
const msh = (type: string, id = 'C1', extra = '') =>
  `MSH|^~\\&|HIS|KFSH|CRM|HMI|20240315103000+0300||${type}|${id}|P|2.5.1${extra}`;

describe('separators real senders write', () => {
  it('accepts MSH|^~\\\\&| (escape written twice) with a warning, and reads it as ^~\\&', () => {
    const msg = parseHl7('MSH|^~\\\\&|HIS||||20240101||ADT^A04|1|P|2.5\rPID|1||M1^^^H^MR||Doe^John');
    expect(msg.separators).toMatchObject({ component: '^', repetition: '~', escape: '\\', subcomponent: '&' });
    expect(msg.warnings).toEqual(['MSH-2: escape_character_repeated']);
    expect(msg.get('PID-5.2')).toBe('John');
    expect(msg.toString().startsWith('MSH|^~\\\\&|')).toBe(true); // printed back as received
    const mapped = mapHl7Message(msg, RIYADH);
    expect(mapped.kind === 'patient' && mapped.issues).toContainEqual({ path: 'MSH-2', reason: 'escape_character_repeated' });
  });

  it('accepts MSH|~\\&| (component separator left out) as ^~\\&, with a warning', () => {
    const msg = parseHl7('MSH|~\\&|PHCN|2220|HSIE|2220|201106161233||ORU^R01|72313573|T|2.4\rOBR|1|^HNAM|11-687^PHCN');
    expect(msg.messageType).toBe('ORU');
    expect(msg.triggerEvent).toBe('R01');
    expect(msg.get('OBR-3.2')).toBe('PHCN');
    expect(msg.warnings).toEqual(['MSH-2: component_separator_missing']);
  });

  it('a clean message has no warnings', () => {
    expect(parseHl7('MSH|^~\\&|A').warnings).toEqual([]);
  });
});

describe('the HL7 null "" is an explicit clear, never text', () => {
  const adt = (pid: string) => parseHl7(`${msh('ADT^A08^ADT_A01')}\rEVN|A08|20240315103000+0300\r${pid}`);

  it('PID-5, PID-11, PID-13, PID-16 as "" → null in the canonical update; the contact holds no ""', () => {
    const mapped = mapHl7Message(adt('PID|1||MRN-1^^^KFSH^MR||""||19800101|M|||""||""|||""'), RIYADH);
    if (mapped.kind !== 'patient') throw new Error('expected a patient');
    expect(mapped.update.names).toBeNull();
    expect(mapped.update.addresses).toBeNull();
    expect(mapped.update.phones).toBeNull();
    expect(mapped.update.emails).toBeNull();
    expect(mapped.update.maritalStatus).toBeNull();
    expect(mapped.update.birthDate).toBe('1980-01-01'); // sent: kept
    expect(mapped.update.gender).toBe('male');
    expect('languages' in mapped.update).toBe(false); // not sent: no change
    expect(mapped.update.identifiers).toEqual([{ type: 'mrn', value: 'MRN-1', system: 'KFSH' }]);
    expect(JSON.stringify(mapped.contact)).not.toContain('""');
    expect(mapped.contact.names).toEqual([]);
    expect(mapped.contact.maritalStatus).toBeUndefined();
    expect(ContactUpdate.safeParse(mapped.update).success).toBe(true);
  });

  it('a "" component never becomes part of a name or an address line', () => {
    const mapped = mapHl7Message(adt('PID|1||MRN-1^^^KFSH^MR||Doe^John^""||||||""^Apt 4^Riyadh^^""^SA'), RIYADH);
    if (mapped.kind !== 'patient') throw new Error('expected a patient');
    expect(mapped.contact.names[0]).toMatchObject({ family: 'Doe', given: ['John'], text: 'John Doe' });
    expect(mapped.contact.addresses[0]).toEqual({ line: ['Apt 4'], city: 'Riyadh', country: 'SA' });
    expect(JSON.stringify(mapped)).not.toContain('""');
  });

  it('a phone that cannot be read is reported, and does not clear the phones', () => {
    const mapped = mapHl7Message(adt('PID|1||MRN-1^^^KFSH^MR||Doe^John||||||||not a phone'), RIYADH);
    if (mapped.kind !== 'patient') throw new Error('expected a patient');
    expect('phones' in mapped.update).toBe(false);
    expect(mapped.issues).toContainEqual({ path: 'PID-13[1]', reason: 'phone_not_normalisable' });
  });
});

describe('SIU: cancellations and the facility time zone', () => {
  const siu = (trigger: string, time = '20240320090000') =>
    parseHl7(
      [
        msh(`SIU^${trigger}^SIU_S12`, `SIU-${trigger}`),
        `SCH|PL-77|FL-1001|||||||30|MIN|^^30^${time}^20240320093000`,
        'PID|1||MRN-9^^^KFSH^MR||الحربي^فاطمة||||||||0555123456^PRN^CP',
      ].join('\r'),
    );

  it('S17 after S12 cancels the same appointment and stops its reminders (S15, S16 too)', () => {
    const booked = mapHl7Message(siu('S12'), RIYADH);
    if (booked.kind !== 'appointment') throw new Error('expected an appointment');
    expect(booked.appointment.status).toBe('booked');
    expect(booked.stopReminders).toBe(false);
    for (const [trigger, reason] of [
      ['S15', 'cancelled'],
      ['S16', 'discontinued'],
      ['S17', 'deleted'],
    ] as const) {
      const ended = mapHl7Message(siu(trigger), RIYADH);
      if (ended.kind !== 'appointment') throw new Error(`expected an appointment for ${trigger}`);
      expect(ended.appointment.id).toBe(booked.appointment.id);
      expect(ended.appointment.status).toBe('cancelled');
      expect(ended.appointment.cancellationReason).toBe(reason);
      expect(ended.stopReminders).toBe(true);
    }
  });

  it('every AIP and AIL resource is a participant', () => {
    const msg = parseHl7(
      [
        msh('SIU^S12^SIU_S12', 'SIU-P'),
        'SCH|PL-77|FL-1001|||||||30|MIN|^^30^20240320090000^20240320093000',
        'AIP|1||D100^Qahtani^Sara|ATND^Attending',
        'AIP|2||N200^Saleh^Omar|NUR^Nurse',
        'AIL|1||CLINIC-3^^^KFSH',
      ].join('\r'),
    );
    const mapped = mapHl7Message(msg, RIYADH);
    if (mapped.kind !== 'appointment') throw new Error('expected an appointment');
    expect(mapped.appointment.participants).toEqual([
      { actorType: 'Practitioner', actorId: 'D100', display: 'Sara Qahtani', type: [{ code: 'ATND', display: 'Attending' }] },
      { actorType: 'Practitioner', actorId: 'N200', display: 'Omar Saleh', type: [{ code: 'NUR', display: 'Nurse' }] },
      { actorType: 'Location', actorId: 'CLINIC-3', display: 'CLINIC-3, KFSH', type: [] },
    ]);
  });

  it('a local-time SIU for a Riyadh facility is 09:00+03:00, not 09:00 UTC', () => {
    const mapped = mapHl7Message(siu('S12'), RIYADH);
    if (mapped.kind !== 'appointment') throw new Error('expected an appointment');
    expect(mapped.appointment.start).toBe('2024-03-20T09:00:00+03:00');
    expect(new Date(mapped.appointment.start!).toISOString()).toBe('2024-03-20T06:00:00.000Z');
    expect(mapped.appointment.end).toBe('2024-03-20T09:30:00+03:00');
  });

  it('follows daylight saving where the zone has it (Cairo, summer 2024)', () => {
    const mapped = mapHl7Message(siu('S12', '20240720090000'), { timeZone: 'Africa/Cairo' });
    if (mapped.kind !== 'appointment') throw new Error('expected an appointment');
    expect(mapped.appointment.start).toBe('2024-07-20T09:00:00+03:00');
    const winter = mapHl7Message(siu('S12', '20240120090000'), { timeZone: 'Africa/Cairo' });
    expect(winter.kind === 'appointment' && winter.appointment.start).toBe('2024-01-20T09:00:00+02:00');
  });

  it('refuses a local time without a configured zone: a typed error, never a silent UTC', () => {
    expect(() => mapHl7Message(siu('S12'))).toThrow(Hl7TimeZoneError);
    try {
      mapHl7Message(siu('S12'));
    } catch (error) {
      expect((error as Hl7TimeZoneError).code).toBe('hl7_time_zone_required');
      expect(String(error)).not.toContain('2024');
    }
    expect(() => createHl7v2Connector({ host: '127.0.0.1', port: 2575 })).toThrow(ConfigError);
    expect(() => createHl7v2Connector({ host: '127.0.0.1', port: 2575, timeZone: 'Mars/Olympus' })).toThrow(ConfigError);
  });
});

describe('merges and identifier changes re-key the contact', () => {
  it('A40: the update carries the surviving identifiers and the previous ones', () => {
    const mapped = mapHl7Message(
      parseHl7(`${msh('ADT^A40^ADT_A39')}\rEVN|A40|20240315103000+0300\rPID|1||MRN-NEW^^^KFSH^MR\rMRG|MRN-OLD^^^KFSH^MR`),
      RIYADH,
    );
    if (mapped.kind !== 'merge') throw new Error('expected a merge');
    expect(mapped.merges[0]!.update).toMatchObject({
      identifiers: [{ type: 'mrn', value: 'MRN-NEW', system: 'KFSH' }],
      previousIdentifiers: [{ type: 'mrn', value: 'MRN-OLD', system: 'KFSH' }],
    });
  });

  it('A47 (identifier list) and A49 (account number) are identifier changes', () => {
    const a47 = mapHl7Message(
      parseHl7(`${msh('ADT^A47^ADT_A30')}\rPID|1||1002003004^^^MOH^NI\rMRG|2100001111^^^MOI^PRC`),
      RIYADH,
    );
    if (a47.kind !== 'merge') throw new Error('expected a re-key');
    expect(a47.merges[0]).toMatchObject({
      type: 'identifier-change',
      update: {
        identifiers: [{ type: 'national-id', value: '1002003004' }],
        previousIdentifiers: [{ type: 'iqama', value: '2100001111' }],
      },
    });
    const a49 = mapHl7Message(
      parseHl7(`${msh('ADT^A49^ADT_A30')}\rPID|1||MRN-1^^^KFSH^MR|||||||||||||||ACC-2\rMRG|||ACC-1`),
      RIYADH,
    );
    if (a49.kind !== 'merge') throw new Error('expected a re-key');
    expect(a49.merges[0]!.update.previousIdentifiers).toEqual([{ type: 'other', value: 'ACC-1', code: 'AN' }]);
    expect(a49.merges[0]!.update.identifiers).toContainEqual({ type: 'other', value: 'ACC-2', code: 'AN' });
  });
});

describe('what else real messages carry', () => {
  it('an empty PID before the real one does not become an empty patient', () => {
    const mapped = mapHl7Message(
      parseHl7(`${msh('ADT^A04^ADT_A01')}\rPID|\rPID|1||MRN-5^^^KFSH^MR||Doe^Jane||19900101|F`),
      RIYADH,
    );
    if (mapped.kind !== 'patient') throw new Error('expected a patient');
    expect(mapped.contact.identifiers).toEqual([{ type: 'mrn', value: 'MRN-5', system: 'KFSH' }]);
    expect(mapped.contact.names[0]?.family).toBe('Doe');
  });

  it('identifier types: SS and DL keep their codes; MR stays plain', () => {
    const mapped = mapHl7Message(
      parseHl7(`${msh('ADT^A04^ADT_A01')}\rPID|1||M1^^^H^MR~123-45-6789^^^SSA^SS~D123^^^DMV^DL||Doe^Jane`),
      RIYADH,
    );
    if (mapped.kind !== 'patient') throw new Error('expected a patient');
    expect(mapped.contact.identifiers).toEqual([
      { type: 'mrn', value: 'M1', system: 'H' },
      { type: 'national-id', value: '123-45-6789', system: 'SSA', code: 'SS' },
      { type: 'driver-license', value: 'D123', system: 'DMV' },
    ]);
  });

  it('deceased: PID-29 keeps its date; next of kin (NK1) become related persons', () => {
    const mapped = mapHl7Message(
      parseHl7(
        `${msh('ADT^A08^ADT_A01')}\rPID|1||M1^^^H^MR||Doe^Jane||||||||||||||||||||||||20240301|Y\rNK1|1|Doe^John|SPO^Spouse^HL70063|||||`,
      ),
      RIYADH,
    );
    if (mapped.kind !== 'patient') throw new Error('expected a patient');
    expect(mapped.contact).toMatchObject({ deceased: true, deceasedAt: '2024-03-01' });
    expect(mapped.contact.relatedPersons?.[0]).toMatchObject({
      name: { family: 'Doe', given: ['John'] },
      relationship: [{ code: 'SPO', display: 'Spouse', system: 'http://terminology.hl7.org/CodeSystem/v2-0063' }],
    });
  });

  it('\\Xhh\\ in a name decodes in the MSH-18 charset (8859/6 Arabic)', () => {
    const mapped = mapHl7Message(
      parseHl7(`${msh('ADT^A04^ADT_A01', 'C1', '|||||SA|8859/6')}\rPID|1||M1^^^H^MR||\\XE5C7\\^X`),
      RIYADH,
    );
    if (mapped.kind !== 'patient') throw new Error('expected a patient');
    expect(mapped.contact.names[0]?.family).toBe('ما');
  });
});
