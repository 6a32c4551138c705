import { ValidationError } from '@hmi/core';

/**
 * A parsed field path `SEG[n]-F[r].C.S`. All numbers are 1-based; `undefined` means "not given"
 * (the first for get, every one for getAll).
 */
export interface Hl7Path {
  readonly segment: string;
  readonly segmentIndex: number | undefined;
  readonly field: number;
  readonly repetition: number | undefined;
  readonly component: number | undefined;
  readonly subcomponent: number | undefined;
}

function invalid(path: string, why: string): ValidationError {
  // A path is code written by the caller, never patient data, so quoting it is safe and helpful.
  return new ValidationError(`invalid HL7 path "${path.slice(0, 40)}": ${why}`, {
    code: 'hl7_invalid_path',
    issues: [{ path: ['path'], code: 'hl7_invalid_path', message: why }],
  });
}

const MAX_NUMBER = 100_000;

/** Reads digits at `i`; returns the number and the next offset, or -1 when there are none. */
function readNumber(path: string, i: number): [number, number] {
  let n = 0;
  const from = i;
  while (i < path.length) {
    const c = path.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    n = n * 10 + (c - 0x30);
    if (n > MAX_NUMBER) return [-1, i];
    i++;
  }
  return i === from || n < 1 ? [-1, i] : [n, i];
}

/** Reads an optional `[n]` (or `(n)`) at `i`; returns undefined-or-number and the next offset. */
function readIndex(path: string, i: number): [number | undefined, number] {
  const open = path.charCodeAt(i);
  if (open !== 0x5b && open !== 0x28) return [undefined, i];
  const [n, next] = readNumber(path, i + 1);
  if (n === -1 || path.charCodeAt(next) !== (open === 0x5b ? 0x5d : 0x29)) return [-1, next];
  return [n, next + 1];
}

function isPartSeparator(c: number): boolean {
  return c === 0x2e || c === 0x2d; // '.' or '-'
}

/**
 * Parses a path such as `PID-5.1`, `PID[2]-3[2].1`, `MSH-9.2` or `OBX-5.1.2` (a `.` may stand for
 * the `-` after the segment name: `PID.5.1`). Throws a ValidationError for anything else.
 */
export function parseHl7Path(path: string): Hl7Path {
  const known = memo.get(path);
  if (known !== undefined) return known;
  const parsed = Object.freeze(parsePath(path));
  if (memo.size >= MEMO_SIZE) memo.clear();
  memo.set(path, parsed);
  return parsed;
}

// A bounded memo of a pure function (the same path string always parses to the same frozen
// result), so it couples nothing between messages or clients; it saves re-parsing `PID-5.1` in
// hot loops.
const MEMO_SIZE = 1024;
const memo = new Map<string, Hl7Path>();

function parsePath(path: string): Hl7Path {
  if (typeof path !== 'string') throw invalid(String(path), 'not a string');
  const len = path.length;
  if (len < 5) throw invalid(path, 'expected SEG-F');
  for (let k = 0; k < 3; k++) {
    const c = path.charCodeAt(k);
    const ok = (c >= 0x41 && c <= 0x5a) || (k > 0 && c >= 0x30 && c <= 0x39);
    if (!ok) throw invalid(path, 'segment ID must be 3 upper-case letters or digits');
  }
  const [segmentIndex, afterIndex] = readIndex(path, 3);
  if (segmentIndex === -1) throw invalid(path, 'segment index must be [n] with n from 1');
  if (!isPartSeparator(path.charCodeAt(afterIndex))) throw invalid(path, "expected '-' and a field number after the segment");
  const [field, afterField] = readNumber(path, afterIndex + 1);
  if (field === -1) throw invalid(path, 'field positions are whole numbers from 1');
  const [repetition, afterRep] = readIndex(path, afterField);
  if (repetition === -1) throw invalid(path, 'repetition must be [r] with r from 1');
  let i = afterRep;
  let component: number | undefined;
  let subcomponent: number | undefined;
  if (i < len) {
    if (!isPartSeparator(path.charCodeAt(i))) throw invalid(path, "expected '.' before a component");
    [component, i] = readNumber(path, i + 1);
    if (component === -1) throw invalid(path, 'component positions are whole numbers from 1');
  }
  if (i < len) {
    if (!isPartSeparator(path.charCodeAt(i))) throw invalid(path, "expected '.' before a subcomponent");
    [subcomponent, i] = readNumber(path, i + 1);
    if (subcomponent === -1) throw invalid(path, 'subcomponent positions are whole numbers from 1');
  }
  if (i !== len) throw invalid(path, 'unexpected characters at the end');
  return { segment: path.slice(0, 3), segmentIndex, field, repetition, component, subcomponent };
}
