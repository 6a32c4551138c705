import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hl7Message, Hl7ParseError, parseHl7, parseHl7Batch } from '../src/index.js';

const PATHS = ['MSH-1', 'MSH-2', 'MSH-9.2', 'PID-5.1', 'PID[2]-3[2].1', 'PID-3.4.2', 'NTE-3', 'OBX[3]-5[2].1.1'];

/** Parses and exercises the result; returns 'ok' or 'parse-error', throws anything else. */
function outcome(input: string | Uint8Array): 'ok' | 'parse-error' {
  try {
    const msg = parseHl7(input);
    expect(msg).toBeInstanceOf(Hl7Message);
    for (const p of PATHS) {
      const v = msg.get(p);
      expect(v === undefined || typeof v === 'string').toBe(true);
      expect(Array.isArray(msg.getAll(p))).toBe(true);
    }
    expect(typeof msg.toString()).toBe('string');
    return 'ok';
  } catch (error) {
    if (Hl7ParseError.isInstance(error)) return 'parse-error';
    throw error;
  }
}

// Inputs that get past the header check, so the fuzzing reaches the segment and field code.
const hl7ish = fc
  .tuple(
    fc.constantFrom('MSH|^~\\&|', 'MSH#@$%*#', 'MSH|^~\\&#|', 'MSH|^~\\', ''),
    fc.array(
      fc.oneof(
        fc.string(),
        fc.constantFrom('PID', 'NTE', 'OBX', 'MSH', 'FHS'),
        fc.constantFrom('|', '^', '~', '\\', '&', '\r', '\n', '\r\n', '\\X', '\\XD9\\', 'محمد', '\u000b', '\u001c'),
      ),
      { maxLength: 40 },
    ),
  )
  .map(([head, parts]) => head + parts.join(''));

describe('fuzz: any input gives an Hl7Message or an Hl7ParseError, nothing else', () => {
  it('arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => void outcome(s)),
      { numRuns: 500 },
    );
  });

  it('HL7-looking strings', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(hl7ish, (s) => {
        seen.add(outcome(s));
      }),
      { numRuns: 1500 },
    );
    expect(seen).toEqual(new Set(['ok', 'parse-error'])); // both branches were really exercised
  });

  it('arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, withHeader) => {
        const input = withHeader ? Buffer.concat([Buffer.from('MSH|^~\\&|'), bytes]) : bytes;
        outcome(input);
      }),
      { numRuns: 500 },
    );
  });

  it('batches', () => {
    fc.assert(
      fc.property(hl7ish, hl7ish, (a, b) => {
        try {
          parseHl7Batch(`FHS|^~\\&|\r${a}\r${b}`).toString();
        } catch (error) {
          if (!Hl7ParseError.isInstance(error)) throw error;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('property: generated messages round-trip', () => {
  const separators = fc.constantFrom('|^~\\&', '#@$%*', '!"%\'(', '|^~\\&#');
  const value = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('محمد', 'a|b', 'x^y~z', '\\', 'l1\nl2', '&#@$%*'));
  const segmentName = fc.constantFrom('PID', 'NTE', 'OBX', 'ZAB', 'PV1');
  const entry = fc.record({
    segment: segmentName,
    occurrence: fc.integer({ min: 1, max: 3 }),
    field: fc.integer({ min: 1, max: 8 }),
    repetition: fc.integer({ min: 1, max: 3 }),
    component: fc.integer({ min: 1, max: 4 }),
    subcomponent: fc.integer({ min: 1, max: 3 }),
    value,
  });

  it('set values come back from get after printing and parsing again, and printing is stable', () => {
    fc.assert(
      fc.property(separators, fc.array(entry, { maxLength: 12 }), (seps, entries) => {
        const msg = parseHl7(`MSH${seps[0]}${seps.slice(1)}${seps[0]}APP`);
        const expected = new Map<string, string>();
        for (const e of entries) {
          const path = `${e.segment}[${e.occurrence}]-${e.field}[${e.repetition}].${e.component}.${e.subcomponent}`;
          // A later write to the same place wins; writes to different leaves never disturb each other.
          msg.set(path, e.value);
          expected.set(path, e.value);
        }
        const text = msg.toString();
        const back = parseHl7(text);
        expect(back.toString()).toBe(text);
        for (const [path, v] of expected) expect(back.get(path)).toBe(v);
      }),
      { numRuns: 300 },
    );
  });
});
