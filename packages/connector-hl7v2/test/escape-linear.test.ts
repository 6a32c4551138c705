import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEPARATORS, decodeEscapes, parseHl7 } from '../src/index.js';

// Linearity is proved by counting the decoder's work (characters scanned, bytes decoded), never
// by timing: the counter is exact and the same on every machine.
const s = DEFAULT_SEPARATORS;

function steps(value: string, charset?: string): number {
  const work = { steps: 0 };
  decodeEscapes(value, s, { work, ...(charset && { charset }) });
  return work.steps;
}

// Pieces that stress every branch: hex runs valid and invalid, split characters, stray and
// unterminated escapes, formatting escapes, separators.
const piece = fc.constantFrom(
  '\\X80\\',
  '\\XD9\\',
  '\\X85\\',
  '\\XD985\\',
  '\\X00\\',
  '\\X4\\',
  '\\XZZ\\',
  '\\X',
  '\\',
  '\\F\\',
  '\\.br\\',
  '\\H\\',
  '\\E\\',
  'a',
  'محمد',
  '\\Cxxyy\\',
);

describe('decodeEscapes is linear for every input (issue 11 #2)', () => {
  it('the work is bounded by a constant times the input length', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 400 }), fc.constantFrom('utf-8', 'iso-8859-6'), (parts, charset) => {
        const value = parts.join('');
        expect(steps(value, charset)).toBeLessThanOrEqual(4 * value.length + 4);
      }),
      { numRuns: 300 },
    );
  });

  it('4× the escapes costs ~4× the work (the quadratic decoder cost ~16×)', () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), (unit) => {
        const block = unit.join('');
        const n = steps(block.repeat(250));
        const n4 = steps(block.repeat(1000));
        expect(n4 / n).toBeGreaterThan(3.5);
        expect(n4 / n).toBeLessThan(4.5);
      }),
      { numRuns: 100 },
    );
  });

  it('64 KB of \\X80\\ (invalid UTF-8) decodes in linear work and loses nothing', () => {
    const value = '\\X80\\'.repeat(Math.ceil((64 * 1024) / 5));
    const work = { steps: 0 };
    expect(decodeEscapes(value, s, { work })).toBe(value); // kept as written: not UTF-8
    expect(work.steps).toBeLessThanOrEqual(4 * value.length);
    // The same through the parser and a message whose escapes run the whole field.
    const msg = parseHl7(`MSH|^~\\&|A\rNTE|1||${value}`);
    expect(msg.get('NTE-3')).toBe(value);
  });

  it('64 KB of valid split characters decode to the text', () => {
    const value = '\\XD9\\\\X85\\'.repeat(Math.ceil((64 * 1024) / 10));
    const work = { steps: 0 };
    expect(decodeEscapes(value, s, { work })).toBe('م'.repeat(Math.ceil((64 * 1024) / 10)));
    expect(work.steps).toBeLessThanOrEqual(4 * value.length);
  });

  it('never produces NUL, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom('utf-8', 'iso-8859-1', 'iso-8859-6'), (bytes, charset) => {
        const value = `\\X${Buffer.from(bytes).toString('hex')}\\`;
        expect(decodeEscapes(value, s, { charset })).not.toContain('\u0000');
      }),
      { numRuns: 300 },
    );
  });
});
