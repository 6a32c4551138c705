import { Hl7ParseError } from '../hl7v2-error.js';
import { Hl7Message, type SegmentSlot } from './message.js';
import { type Hl7Separators, readSeparators } from './separators.js';
import { splitLines, toHl7Text } from './text.js';

function isIdStart(c: number): boolean {
  return c >= 0x41 && c <= 0x5a;
}

function isIdChar(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

/** True for an empty or whitespace-only line, which is kept but is no segment. */
export function isBlankLine(line: string): boolean {
  if (line.length === 0) return true;
  return line.charCodeAt(0) <= 0x20 && line.trim() === '';
}

/**
 * The segment ID of a line, checked: three upper-case letters or digits (the first a letter),
 * followed by the field separator or the end of the line. `''` for a blank line.
 */
export function segmentId(line: string, separators: Hl7Separators, segmentIndex: number): string {
  if (isBlankLine(line)) return '';
  if (
    line.length < 3 ||
    !isIdStart(line.charCodeAt(0)) ||
    !isIdChar(line.charCodeAt(1)) ||
    !isIdChar(line.charCodeAt(2)) ||
    (line.length > 3 && line[3] !== separators.field)
  ) {
    throw new Hl7ParseError('segment ID is not 3 upper-case letters or digits followed by the field separator', {
      reason: 'invalid_segment_id',
      segmentIndex,
    });
  }
  return line.slice(0, 3);
}

function slot(name: string, raw: string): SegmentSlot {
  return { name, raw, cuts: undefined, fields: undefined };
}

/**
 * Parses one HL7 v2 message from text or bytes (UTF-8 unless MSH-18 declares an ISO 8859 set).
 * Accepts CR, LF or CRLF segment ends and a leading byte-order mark (dropped: `toString()` never
 * writes one). Separators come from MSH-1 and MSH-2. Field splitting is lazy; escapes are decoded
 * by `get`.
 *
 * Throws {@link Hl7ParseError} (never a TypeError) when the input is not one HL7 message: no MSH
 * first, illegal separators, a bad segment ID, a second MSH (use {@link parseHl7Batch}).
 */
export function parseHl7(input: string | Uint8Array | ArrayBuffer): Hl7Message {
  const text = toHl7Text(input);
  const lines = splitLines(text);
  let first = 0;
  while (first < lines.length && isBlankLine(lines[first]!)) first++;
  if (first === lines.length) throw new Hl7ParseError('input is empty', { reason: 'empty' });
  const head = lines[first]!;
  if (!head.startsWith('MSH')) {
    const batch = head.startsWith('FHS') || head.startsWith('BHS');
    throw new Hl7ParseError(batch ? 'input is a batch: use parseHl7Batch' : 'input does not start with an MSH segment', {
      reason: batch ? 'batch_structure' : 'missing_header',
      segmentIndex: first,
    });
  }
  const separators = readSeparators(head, first);
  const slots: SegmentSlot[] = new Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const name = segmentId(line, separators, i);
    if (i !== first && (name === 'MSH' || name === 'BHS' || name === 'FHS' || name === 'BTS' || name === 'FTS')) {
      throw new Hl7ParseError('input holds more than one message: use parseHl7Batch', {
        reason: 'multiple_messages',
        segmentIndex: i,
      });
    }
    slots[i] = slot(name, line);
  }
  return new Hl7Message(separators, slots);
}
