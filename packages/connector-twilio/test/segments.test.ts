import { countSmsSegments, isGsm7, isGsmCharacter } from '@hmi/connector-twilio';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const GSM_BASIC_CHARS = [
  ...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
];
const GSM_EXTENSION_CHARS = [...'\f^{}\\[~]|€'];

describe('countSmsSegments: GSM-7', () => {
  it('knows the 127 basic characters and 10 extension characters of GSM 03.38', () => {
    expect(new Set(GSM_BASIC_CHARS).size).toBe(127);
    for (const c of [...GSM_BASIC_CHARS, ...GSM_EXTENSION_CHARS]) expect(isGsmCharacter(c)).toBe(true);
    for (const c of ['ç', '`', 'á', 'ê', 'ω', '’', '“', 'ـ', 'م']) expect(isGsmCharacter(c)).toBe(false);
  });

  it.each([
    ['', 0, 0],
    ['a', 1, 1],
    ['a'.repeat(160), 1, 160],
    ['a'.repeat(161), 2, 161],
    ['a'.repeat(306), 2, 306],
    ['a'.repeat(307), 3, 307],
    ['a'.repeat(459), 3, 459],
    ['a'.repeat(460), 4, 460],
  ])('plain text of length %#: %s segments', (text, segments, units) => {
    expect(countSmsSegments(text)).toEqual({ encoding: 'GSM-7', segments, units });
  });

  it('counts extension characters as two septets', () => {
    expect(countSmsSegments('€')).toEqual({ encoding: 'GSM-7', segments: 1, units: 2 });
    expect(countSmsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(countSmsSegments(`${'€'.repeat(80)}a`)).toEqual({ encoding: 'GSM-7', segments: 2, units: 161 });
    expect(countSmsSegments('{[]}').units).toBe(8);
  });

  it('never splits an extension character across segments', () => {
    // 152 plain + € would straddle septets 153/154: it moves to segment 2, leaving one septet empty.
    const straddle = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(countSmsSegments(straddle)).toEqual({ encoding: 'GSM-7', segments: 3, units: 306 });
    // The same 306 septets with the € aligned fit in 2 segments.
    const aligned = `${'a'.repeat(151)}€${'a'.repeat(153)}`;
    expect(countSmsSegments(aligned)).toEqual({ encoding: 'GSM-7', segments: 2, units: 306 });
  });

  it('keeps newlines, Ç and the Greek capitals in GSM-7', () => {
    expect(countSmsSegments('Dr. Ç\nΔΦΓ @ 10:00 £5 §1 ¿?').encoding).toBe('GSM-7');
  });
});

describe('countSmsSegments: UCS-2', () => {
  it.each([
    ['م', 1, 1],
    ['م'.repeat(70), 1, 70],
    ['م'.repeat(71), 2, 71],
    ['م'.repeat(134), 2, 134],
    ['م'.repeat(135), 3, 135],
    ['م'.repeat(201), 3, 201],
    ['م'.repeat(202), 4, 202],
  ])('Arabic text %#: %s segments', (text, segments, units) => {
    expect(countSmsSegments(text)).toEqual({ encoding: 'UCS-2', segments, units });
  });

  it('counts a real Arabic reminder with mixed Latin digits', () => {
    const reminder = 'عزيزي المريض، نذكركم بموعدكم في عيادة الأسنان يوم الأحد الساعة 10:30 صباحاً. للإلغاء أرسل إلغاء';
    const result = countSmsSegments(reminder);
    expect(result.encoding).toBe('UCS-2');
    expect(result.units).toBe(reminder.length);
    expect(result.segments).toBe(Math.ceil(reminder.length / 67));
  });

  it('one non-GSM character switches the whole message to UCS-2', () => {
    expect(countSmsSegments(`${'a'.repeat(100)}ç`)).toEqual({ encoding: 'UCS-2', segments: 2, units: 101 });
    // Curly quotes from word processors are not GSM: Twilio's Smart Encoding is not applied.
    expect(countSmsSegments('it’s').encoding).toBe('UCS-2');
    // In UCS-2 an extension character is one unit.
    expect(countSmsSegments('€ م')).toEqual({ encoding: 'UCS-2', segments: 1, units: 3 });
  });

  it('counts surrogate pairs as two units and never splits them', () => {
    expect(countSmsSegments('👍')).toEqual({ encoding: 'UCS-2', segments: 1, units: 2 });
    expect(countSmsSegments('👍'.repeat(35))).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
    // 66 units + an emoji would straddle units 67/68: it moves to segment 2.
    const straddle = `${'م'.repeat(66)}👍${'م'.repeat(66)}`;
    expect(straddle.length).toBe(134);
    expect(countSmsSegments(straddle).segments).toBe(3);
    const aligned = `${'م'.repeat(65)}👍${'م'.repeat(67)}`;
    expect(countSmsSegments(aligned).segments).toBe(2);
  });
});

const gsmChar = fc.constantFrom(...GSM_BASIC_CHARS, ...GSM_EXTENSION_CHARS);
const gsmText = fc.array(gsmChar, { maxLength: 500 }).map((a) => a.join(''));
const anyText = fc.string({ unit: 'binary', maxLength: 400 });
const nonGsmChar = fc
  .oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom('م', 'ي', 'ç', '👍', '’'))
  .filter((c) => !isGsm7(c));

describe('countSmsSegments properties', () => {
  it('segments never decrease as text grows (prefix monotonicity)', () => {
    fc.assert(
      fc.property(anyText, anyText, (a, b) => {
        const whole = countSmsSegments(a + b);
        expect(whole.segments).toBeGreaterThanOrEqual(countSmsSegments(a).segments);
      }),
      { numRuns: 500 },
    );
  });

  it('GSM-only text stays GSM-7 and units are septets', () => {
    fc.assert(
      fc.property(gsmText, (text) => {
        const result = countSmsSegments(text);
        expect(result.encoding).toBe('GSM-7');
        const ext = [...text].filter((c) => GSM_EXTENSION_CHARS.includes(c)).length;
        expect(result.units).toBe([...text].length + ext);
        if (result.units > 0)
          expect(result.segments).toBeGreaterThanOrEqual(Math.ceil(result.units / (result.units <= 160 ? 160 : 153)));
      }),
      { numRuns: 500 },
    );
  });

  it('any non-GSM character forces UCS-2 with UTF-16 units', () => {
    fc.assert(
      fc.property(gsmText, nonGsmChar, gsmText, (a, c, b) => {
        const text = a + c + b;
        const result = countSmsSegments(text);
        expect(result.encoding).toBe('UCS-2');
        expect(result.units).toBe(text.length);
        const capacity = result.units <= 70 ? 70 : 67;
        expect(result.segments).toBeGreaterThanOrEqual(Math.ceil(result.units / capacity));
        // Splitting only ever wastes one unit per segment.
        expect(result.segments).toBeLessThanOrEqual(Math.max(1, Math.ceil(result.units / 66)));
      }),
      { numRuns: 500 },
    );
  });
});
