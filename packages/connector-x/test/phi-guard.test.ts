// The privacy rule: a post must not carry the patient's name, phone or MRN. Each case below is
// a form people really write; the negatives prove the guard is not refusing everything.
import { describe, expect, it } from 'vitest';
import { findPhi, KnownPatient } from '../src/index.js';

const patient = KnownPatient.parse({
  names: ['فاطمة الزهراني', 'Mohammed Abdullah Al-Qahtani'],
  phones: ['+966555123456', '+201001234567', '050 123 4567'],
  mrns: ['MRN-00774210'],
});
const find = (text: string, avoid: string[] = []) => findPhi(text, patient, avoid, 'AE');

describe('findPhi', () => {
  it.each([
    ['نتمنى الشفاء لـ فاطِمَة الزهرانى', 'name'], // diacritics, alef maksura
    ['شكراً أ. فاطمه الزهراني', 'name'], // teh marbuta written as heh
    ['Dear Mohammed Al-Qahtani, please DM us', 'name'], // first + last part
    ['MOHAMMED ABDULLAH is recovering', 'name'], // two consecutive parts, any case
    ['call +966 55 512 3456', 'phone'],
    ['call 00966555123456', 'phone'],
    ['اتصل على 0555-123-456', 'phone'],
    ['رقمي ٠٥٥٥١٢٣٤٥٦', 'phone'], // Arabic-Indic digits
    ['رقمي ۰۵۵۵۱۲۳۴۵۶', 'phone'], // Eastern Arabic-Indic digits
    ['Cairo number 0100 123 4567', 'phone'], // Egyptian local form of +201001234567
    ['UAE: +971 50 123 4567', 'phone'], // the local 050 number, normalised with the region
    ['file mrn 00774210', 'mrn'],
    ['ملف رقم 774210 ', 'mrn'],
  ])('%s → %s', (text, kind) => {
    expect(find(text)).toContain(kind);
  });

  it.each([
    'Ramadan hours: clinics open 8pm–2am',
    'Call our hotline 920012345',
    'Dr. Fatima joined the paediatrics team',
    'نرحب بالدكتورة فاطمة في فرع جدة',
    'Mohammed Salah scored again',
    'room 774 floor 2',
  ])('%s → nothing', (text) => {
    expect(find(text)).toEqual([]);
  });

  it('avoid terms are matched as whole words or phrases, Arabic folded', () => {
    expect(find('قسم الأورام يرحب بكم', ['قسم الاورام'])).toEqual(['avoid']);
    expect(find('oncology ward', ['oncology'])).toEqual(['avoid']);
    expect(find('oncologyward', ['oncology'])).toEqual([]);
  });

  it('is linear on long hostile input', () => {
    const text = `${'1 '.repeat(50_000)}x${'ـ'.repeat(50_000)}`;
    expect(find(text)).toEqual([]);
  });
});
