import { ValidationError } from '@hmi/core';
import { Appointment, Condition, Consent, Contact } from '@hmi/core/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adtToContact,
  adtToMerges,
  contactToAdt,
  dg1ToConditions,
  type Hl7Message,
  mapHl7Message,
  parseHl7,
  siuToAppointment,
} from '../src/index.js';
import { hl7Samples } from './specs.js';

const samples = hl7Samples();

/** Builds a message with `set`, so field positions are named, not counted by hand. */
function build(header: string, values: Record<string, string>): Hl7Message {
  const msg = parseHl7(header);
  for (const [path, v] of Object.entries(values)) msg.set(path, v);
  return parseHl7(msg.toString());
}

function saudiAdt(trigger = 'A04', separators = '|^~\\&'): Hl7Message {
  const [f, c] = [separators[0], separators[1]];
  return build(
    `MSH${separators}${f}HIS${f}KFSH${f}CRM${f}HMI${f}20240315103000+0300${f}${f}ADT${c}${trigger}${c}ADT_A01${f}CTRL-AR-1${f}P${f}2.5.1`,
    {
      'EVN-2': '20240315103000+0300',
      'PID-1': '1',
      'PID-3[1].1': '1002003004',
      'PID-3[1].4.1': 'MOH',
      'PID-3[1].4.2': '2.16.682.1.1',
      'PID-3[1].4.3': 'ISO',
      'PID-3[1].5': 'NI',
      'PID-3[2].1': 'MRN-778899',
      'PID-3[2].4': 'KFSH',
      'PID-3[2].5': 'MR',
      'PID-3[3].1': '2100001111',
      'PID-3[3].4': 'MOI',
      'PID-3[3].5': 'PRC',
      'PID-3[4].1': 'P1234567',
      'PID-3[4].5': 'PPN',
      'PID-5[1].1': 'الأحمد',
      'PID-5[1].2': 'محمد',
      'PID-5[1].3': 'عبدالله',
      'PID-5[1].7': 'L',
      'PID-5[2].1': 'AL-AHMAD',
      'PID-5[2].2': 'MOHAMMED',
      'PID-5[2].7': 'D',
      'PID-5[3].1': 'Al Ahmad & Sons', // escaped on write (\T\), decoded on read
      'PID-5[3].7': 'A',
      'PID-7': '19850214',
      'PID-8': 'M',
      'PID-11.1.1': 'شارع الملك فهد',
      'PID-11.2': 'حي العليا',
      'PID-11.3': 'الرياض',
      'PID-11.5': '12211',
      'PID-11.6': 'SA',
      'PID-11.7': 'H',
      'PID-13[1].1': '055 512 3456',
      'PID-13[1].2': 'PRN',
      'PID-13[1].3': 'CP',
      'PID-13[2].2': 'NET',
      'PID-13[2].3': 'Internet',
      'PID-13[2].4': 'mohammed@example.com',
      'PID-13[3].2': 'PRN',
      'PID-13[3].3': 'PH',
      'PID-13[3].5': '966',
      'PID-13[3].6': '11',
      'PID-13[3].7': '4567890',
      'PID-13[4].1': '٠٥٠١٢٣٤٥٦٧', // Arabic-Indic digits
      'PID-13[4].2': 'PRN',
      'PID-13[4].3': 'CP',
      'PID-13[5].1': 'not a phone',
      'PID-13[6].2': 'PRN',
      'PID-13[6].3': 'FX',
      'PID-13[6].1': '0114445555',
      'PID-14[1].2': 'WPN',
      'PID-14[1].3': 'PH',
      'PID-14[1].12': '+971 4 345 6789',
      'PID-15.1': 'ara',
      'PID-15.2': 'Arabic',
      'PID-16.1': 'M',
      'PD1-11.1': 'N',
      'PD1-12': 'Y',
      'PD1-13': '20240301',
      'CON[1]-1': '1',
      'CON[1]-2.2': 'Marketing SMS',
      'CON[1]-12': 'A',
      'CON[1]-14': '20240302',
      'CON[2]-1': '2',
      'CON[2]-2.2': 'Research studies',
      'CON[2]-12': 'R',
      'CON[3]-1': '3',
      'CON[3]-12': 'P',
      'PV1-2': 'O',
      'DG1-1': '1',
      'DG1-3.1': 'E11.9',
      'DG1-3.2': 'Type 2 diabetes mellitus',
      'DG1-3.3': 'I10',
      'DG1-5': '20240315',
      'DG1-6': 'F',
    },
  );
}

describe('ADT → Contact', () => {
  it('maps an Arabic ADT A04 completely', () => {
    const { contact, consents, conditions, issues } = adtToContact(saudiAdt(), { defaultRegion: 'SA', timeZone: 'Asia/Riyadh' });
    expect(Contact.parse(contact)).toEqual(contact);
    expect(contact.identifiers).toEqual([
      { type: 'national-id', system: 'urn:oid:2.16.682.1.1', value: '1002003004' },
      { type: 'mrn', system: 'KFSH', value: 'MRN-778899' },
      { type: 'iqama', system: 'MOI', value: '2100001111' },
      { type: 'passport', value: 'P1234567' },
    ]);
    expect(contact.names).toEqual([
      { use: 'official', text: 'محمد عبدالله الأحمد', given: ['محمد', 'عبدالله'], family: 'الأحمد', language: 'ar' },
      { use: 'usual', text: 'MOHAMMED AL-AHMAD', given: ['MOHAMMED'], family: 'AL-AHMAD' },
      { use: 'usual', text: 'Al Ahmad & Sons', family: 'Al Ahmad & Sons' },
    ]);
    expect(contact.birthDate).toBe('1985-02-14');
    expect(contact.gender).toBe('male');
    expect(contact.phones).toEqual([
      { value: '+966555123456', use: 'mobile' },
      { value: '+966114567890', use: 'home' },
      { value: '+966501234567', use: 'mobile' },
      { value: '+97143456789', use: 'work' },
    ]);
    expect(contact.emails).toEqual([{ value: 'mohammed@example.com' }]);
    expect(contact.addresses).toEqual([
      { use: 'home', line: ['شارع الملك فهد', 'حي العليا'], city: 'الرياض', postalCode: '12211', country: 'SA' },
    ]);
    expect(contact.languages).toEqual(['ar']);
    expect(contact.maritalStatus?.code).toBe('M');
    expect(contact.source).toEqual({ system: 'hl7v2', id: 'CTRL-AR-1' });
    expect(contact.updatedAt).toBe('2024-03-15T10:30:00+03:00');
    expect(issues).toEqual([
      { path: 'PID-13[5]', reason: 'phone_not_normalisable' },
      { path: 'PID-13[6]', reason: 'telecom_not_a_phone' }, // the fax: reported, not dropped silently
      { path: 'CON[3]-12', reason: 'consent_status_not_final' },
    ]);

    expect(consents.map((c) => [c.source, c.purpose, c.channel, c.status])).toEqual([
      ['hl7-pd1', 'marketing', 'any', 'revoked'],
      ['hl7-pd1', 'data-sharing', 'any', 'revoked'],
      ['hl7-con', 'marketing', 'sms', 'granted'],
      ['hl7-con', 'research', 'any', 'revoked'],
    ]);
    for (const c of consents) expect(Consent.parse(c)).toEqual(c);
    expect(consents[1]!.recordedAt).toBe('2024-03-01T00:00:00+03:00'); // a local date in Riyadh
    expect(conditions).toHaveLength(1);
    expect(conditions[0]).toMatchObject({
      code: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'E11.9', display: 'Type 2 diabetes mellitus' }],
      verificationStatus: 'confirmed',
      onset: '2024-03-15T00:00:00+03:00',
    });
  });

  it('reads the same with custom separators', () => {
    const standard = adtToContact(saudiAdt(), { defaultRegion: 'SA', timeZone: 'Asia/Riyadh' });
    const custom = adtToContact(saudiAdt('A08', '#@$%*'), { defaultRegion: 'SA', timeZone: 'Asia/Riyadh' });
    expect(custom.contact).toEqual(standard.contact);
    expect(custom.consents).toEqual(standard.consents);
  });

  it('maps every ADT, SIU and DG1 in the shared samples', () => {
    const kinds = new Set<string>();
    for (const s of samples) {
      const msg = parseHl7(s.bytes);
      const mapped = mapHl7Message(msg, { defaultRegion: 'US', timeZone: 'America/New_York' });
      kinds.add(mapped.kind);
      if (mapped.kind === 'patient') {
        expect(Contact.parse(mapped.contact).names.length).toBeGreaterThan(0);
        expect(mapped.contact.identifiers.length).toBeGreaterThan(0);
        expect(mapped.contact.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        for (const c of mapped.conditions) expect(Condition.parse(c)).toEqual(c);
      } else if (mapped.kind === 'appointment') {
        expect(Appointment.parse(mapped.appointment).status).toBe('booked');
        expect(mapped.appointment.start).toBeDefined();
        expect(mapped.patient?.identifiers.length).toBeGreaterThan(0);
      } else {
        throw new Error(`${s.name} was not mapped`);
      }
      expect(dg1ToConditions(msg)).toHaveLength(msg.count('DG1'));
    }
    expect(kinds).toEqual(new Set(['patient', 'appointment']));
  });

  it('reads the v2.3 samples: plain phone numbers and ICD-9 from DG1-2', () => {
    const msg = parseHl7(samples.find((s) => s.name === 'ADT01-23.hl7')!.bytes);
    const { contact, conditions } = adtToContact(msg, { defaultRegion: 'US', timeZone: 'America/New_York' });
    expect(contact.phones).toEqual([{ value: '+18885551212', use: 'home' }]);
    expect(contact.names[0]).toMatchObject({ family: 'DUCK', given: ['DONALD', 'D'] });
    expect(conditions[0]!.code[0]).toMatchObject({ system: 'http://hl7.org/fhir/sid/icd-9-cm', code: '71596' });
  });

  it('throws a ValidationError for an ADT without PID', () => {
    expect(() => adtToContact(parseHl7('MSH|^~\\&|A||||||ADT^A04|1|P|2.5'))).toThrow(ValidationError);
  });
});

describe('Contact → ADT A28/A31', () => {
  it('writes a valid message that maps back to the same contact (Arabic, escapes, every identifier type)', () => {
    const { contact } = adtToContact(saudiAdt(), { defaultRegion: 'SA', timeZone: 'Asia/Riyadh' });
    const msg = contactToAdt(contact, { trigger: 'A28', sendingFacility: 'HMI', timestamp: new Date('2024-04-01T00:00:00Z') });
    expect(msg.get('MSH-9')).toBe('ADT^A28^ADT_A05');
    expect(msg.get('PV1-2')).toBe('N');
    expect(msg.getEncoded('PID-5[3].1')).toBe('Al Ahmad \\T\\ Sons');
    const back = adtToContact(parseHl7(msg.toString()), { defaultRegion: 'SA', timeZone: 'Asia/Riyadh' }).contact;
    const { source: _a, updatedAt: _b, ...original } = contact;
    const { source: _c, updatedAt: _d, ...roundTripped } = back;
    expect(roundTripped).toEqual(original);
  });

  it('round-trips every patient in the shared samples', () => {
    for (const s of samples) {
      const mapped = mapHl7Message(parseHl7(s.bytes), { defaultRegion: 'US', timeZone: 'America/New_York' });
      if (mapped.kind !== 'patient') continue;
      for (const trigger of ['A28', 'A31'] as const) {
        const text = contactToAdt(mapped.contact, { trigger }).toString();
        const back = mapHl7Message(parseHl7(text), { defaultRegion: 'US', timeZone: 'America/New_York' });
        expect(back.kind).toBe('patient');
        if (back.kind !== 'patient') continue;
        expect(back.trigger).toBe(trigger);
        expect({ ...back.contact, source: undefined, updatedAt: undefined }).toEqual({
          ...mapped.contact,
          source: undefined,
          updatedAt: undefined,
        });
      }
    }
  });

  it('property: any contact survives the trip (uses, old entries, several names)', () => {
    const phone = fc.constantFrom('+966555123456', '+966501234567', '+97143456789', '+201001234567', '+14155552671');
    const text = fc.constantFrom('محمد', 'عبدالله', 'Fatima', "O'Neil", 'a|b^c', 'x&y~z\\w', 'سارة');
    const contact = fc.record({
      identifiers: fc.uniqueArray(
        fc.record({
          type: fc.constantFrom('mrn', 'national-id', 'iqama', 'passport', 'insurance', 'other' as const),
          value: fc.stringMatching(/^[A-Z0-9]{3,10}$/),
          system: fc.option(fc.constantFrom('KFSH', 'urn:oid:2.16.682.1', 'MOH'), { nil: undefined }),
        }),
        { maxLength: 4, selector: (i) => i.value },
      ),
      names: fc.array(
        fc.record({
          use: fc.option(fc.constantFrom('official', 'usual', 'nickname', 'maiden', 'old', 'temp', 'anonymous' as const), {
            nil: undefined,
          }),
          given: fc.array(text, { minLength: 1, maxLength: 2 }),
          family: text,
        }),
        { maxLength: 3 },
      ),
      phones: fc.uniqueArray(
        fc.record({ value: phone, use: fc.constantFrom('mobile', 'home', 'work', 'temp', 'old' as const) }),
        { maxLength: 4, selector: (p) => p.value },
      ),
      emails: fc.uniqueArray(
        fc.record({
          value: fc.constantFrom('a@example.com', 'b.c@example.org', 'x+y@example.sa'),
          use: fc.option(fc.constantFrom('home', 'work', 'temp', 'old' as const), { nil: undefined }),
        }),
        { maxLength: 3, selector: (e) => e.value },
      ),
      gender: fc.constantFrom('male', 'female', 'other', 'unknown' as const),
      birthDate: fc.constantFrom('1990-01-31', '1985-12-01', '2001-07-15'),
    });
    fc.assert(
      fc.property(contact, (input) => {
        const clean = JSON.parse(JSON.stringify(input));
        const msg = contactToAdt(clean, { trigger: 'A31', timestamp: new Date('2024-06-01T12:00:00Z') });
        const back = adtToContact(parseHl7(msg.toString()), { defaultRegion: 'SA', timeZone: 'Asia/Riyadh' }).contact;
        expect(back.identifiers).toEqual(clean.identifiers);
        // Work entries live in PID-14, the others in PID-13: the order between the two groups changes.
        const byValue = (list: Array<{ value: string }>) => [...list].sort((a, b) => a.value.localeCompare(b.value));
        expect(byValue(back.phones)).toEqual(byValue(clean.phones));
        expect(byValue(back.emails)).toEqual(byValue(clean.emails));
        expect(back.gender).toBe(clean.gender);
        expect(back.birthDate).toBe(clean.birthDate);
        expect(back.names.map(({ text: _t, language: _l, ...n }) => n)).toEqual(
          clean.names.map((n: object) => JSON.parse(JSON.stringify(n))),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('refuses an invalid contact with a ValidationError that quotes no value', () => {
    try {
      contactToAdt({ phones: [{ value: '0555123456' }] } as never, { trigger: 'A28' });
      throw new Error('expected an error');
    } catch (error) {
      expect(ValidationError.isInstance(error)).toBe(true);
      expect(JSON.stringify(error)).not.toContain('0555123456');
    }
  });
});

describe('ADT A40 → merge', () => {
  it('gives surviving and merged identifiers for each PID/MRG pair', () => {
    const msg = build('MSH|^~\\&|HIS|H|CRM|C|20240101||ADT^A40^ADT_A39|M1|P|2.5', {
      'EVN-2': '20240101090000+0300',
      'PID[1]-3[1].1': 'MRN-1',
      'PID[1]-3[1].5': 'MR',
      'PID[1]-3[2].1': '1002003004',
      'PID[1]-3[2].5': 'NI',
      'MRG[1]-1.1': 'MRN-OLD-1',
      'MRG[1]-1.5': 'MR',
      'PID[2]-3.1': 'MRN-2',
      'MRG[2]-1[1].1': 'MRN-OLD-2',
      'MRG[2]-1[2].1': 'P99',
      'MRG[2]-1[2].5': 'PPN',
    });
    // set() appends a new kind of segment at the end; interleave them as A40 has them: PID, MRG, PID, MRG.
    const lines = msg.lines();
    const pick = (id: string) => lines.filter((l) => l.startsWith(id));
    const [pid1, pid2] = pick('PID|');
    const [mrg1, mrg2] = pick('MRG|');
    const ordered = parseHl7([...pick('MSH|'), ...pick('EVN|'), pid1, mrg1, pid2, mrg2].join('\r'));
    expect(ordered.segmentNames()).toEqual(['MSH', 'EVN', 'PID', 'MRG', 'PID', 'MRG']);
    const merges = adtToMerges(ordered).map(({ update, ...rest }) => {
      // The canonical update re-keys the contact: new identifiers, and those it was known by.
      expect(update.identifiers).toEqual(rest.surviving);
      expect(update.previousIdentifiers).toEqual(rest.merged);
      return rest;
    });
    expect(merges).toEqual([
      {
        type: 'merge',
        trigger: 'A40',
        surviving: [
          { type: 'mrn', value: 'MRN-1' },
          { type: 'national-id', value: '1002003004' },
        ],
        merged: [{ type: 'mrn', value: 'MRN-OLD-1' }],
        occurredAt: '2024-01-01T09:00:00+03:00',
      },
      {
        type: 'merge',
        trigger: 'A40',
        surviving: [{ type: 'mrn', value: 'MRN-2' }],
        merged: [
          { type: 'mrn', value: 'MRN-OLD-2' },
          { type: 'passport', value: 'P99' },
        ],
        occurredAt: '2024-01-01T09:00:00+03:00',
      },
    ]);
    expect(mapHl7Message(ordered)).toMatchObject({ kind: 'merge', trigger: 'A40' });
    expect(() => adtToMerges(parseHl7('MSH|^~\\&|A||||||ADT^A40|1\rPID|1||X'))).toThrow(ValidationError);
  });
});

describe('SIU → Appointment', () => {
  const siu = (trigger: string, extra: Record<string, string> = {}) =>
    build(`MSH|^~\\&|SCH|H|CRM|C|20240501080000+0300||SIU^${trigger}^SIU_S12|S-${trigger}|P|2.5`, {
      'SCH-1.1': 'PLACER-1',
      'SCH-2.1': 'FILLER-1',
      'SCH-6.2': 'Patient request',
      'SCH-7.1': 'FOLLOWUP',
      'SCH-7.2': 'Follow-up visit',
      'SCH-8.1': 'ROUTINE',
      'SCH-9': '30',
      'SCH-10.1': 'min',
      'SCH-11.4': '20240510093000+0300',
      'SCH-25.1': 'Pending',
      'PID-3.1': 'MRN-1',
      'PID-5.1': 'الأحمد',
      'PID-5.2': 'محمد',
      'AIS-3.1': 'CARD',
      'AIS-3.2': 'Cardiology consult',
      'AIL-3.1': 'CLINIC-3',
      'AIL-3.4': 'KFSH',
      'AIP-3.1': 'DR-7',
      'AIP-3.2': 'الزهراني',
      'AIP-3.3': 'خالد',
      'AIP-4.1': 'CARDIO',
      'AIP-4.2': 'Cardiologist',
      ...extra,
    });

  it.each([
    ['S12', 'booked'],
    ['S13', 'booked'],
    ['S14', 'pending'],
    ['S15', 'cancelled'],
  ])('%s → %s', (trigger, status) => {
    const { appointment, patient } = siuToAppointment(siu(trigger));
    expect(Appointment.parse(appointment)).toEqual(appointment);
    expect(appointment).toMatchObject({
      id: 'FILLER-1',
      status,
      start: '2024-05-10T09:30:00+03:00',
      minutesDuration: 30,
      serviceType: [{ code: 'CARD', display: 'Cardiology consult' }],
      specialty: [{ code: 'CARDIO', display: 'Cardiologist' }],
      appointmentType: { code: 'ROUTINE' },
      reason: [{ code: 'FOLLOWUP', display: 'Follow-up visit' }],
      practitioner: { id: 'DR-7', display: 'خالد الزهراني' },
      location: { id: 'CLINIC-3', display: 'CLINIC-3, KFSH' },
    });
    expect(appointment.cancellationReason).toBe(status === 'cancelled' ? 'Patient request' : undefined);
    expect(patient?.names[0]).toMatchObject({ family: 'الأحمد', language: 'ar' });
  });

  it('S14 without a filler status stays booked; TQ1 times win over SCH-11', () => {
    const { appointment } = siuToAppointment(
      siu('S14', { 'SCH-25.1': '', 'TQ1-7': '20240511100000+0300', 'TQ1-8': '20240511104500+0300' }),
    );
    expect(appointment).toMatchObject({ status: 'booked', start: '2024-05-11T10:00:00+03:00', minutesDuration: 45 });
  });

  it('throws a ValidationError without SCH', () => {
    expect(() => siuToAppointment(parseHl7('MSH|^~\\&|A||||||SIU^S12|1'))).toThrow(ValidationError);
  });
});
