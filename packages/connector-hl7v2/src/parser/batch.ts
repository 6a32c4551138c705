import { Hl7ParseError } from '../hl7v2-error.js';
import { Hl7Message, type SegmentSlot } from './message.js';
import { isBlankLine, segmentId } from './parse.js';
import { type Hl7Separators, readSeparators } from './separators.js';
import { splitLines, toHl7Text } from './text.js';

type Part = Hl7Message | { envelopeLine: number } | { blank: string };

/**
 * A batch file: FHS/BHS … MSH … BTS/FTS, or simply several messages one after another. Every
 * message keeps its own separators.
 */
export class Hl7Batch {
  /** The messages in file order. */
  readonly messages: Hl7Message[];
  /**
   * The FHS, BHS, BTS and FTS segments in file order, as a message you can `get` from
   * (`FHS-9`, `BTS-1`), or undefined when the file had none.
   */
  readonly envelope: Hl7Message | undefined;
  readonly #parts: Part[];

  /** @internal Use {@link parseHl7Batch}. */
  constructor(messages: Hl7Message[], envelope: Hl7Message | undefined, parts: Part[]) {
    this.messages = messages;
    this.envelope = envelope;
    this.#parts = parts;
  }

  /** The file as text, segments joined with CR; the input exactly (LF/CRLF → CR, no BOM) while unchanged. */
  toString(): string {
    const envelopeLines = this.envelope?.lines() ?? [];
    return this.#parts
      .map((part) =>
        part instanceof Hl7Message ? part.toString() : 'blank' in part ? part.blank : envelopeLines[part.envelopeLine]!,
      )
      .join('\r');
  }
}

/** MSH, FHS, BHS, BTS or FTS followed by a non-alphanumeric (a separator) or the line end. */
function startsMessageOrEnvelope(line: string): boolean {
  const a = line.charCodeAt(0);
  if (a !== 0x4d && a !== 0x46 && a !== 0x42) return false; // M F B
  const b = line.charCodeAt(1);
  const c = line.charCodeAt(2);
  const known =
    (a === 0x4d && b === 0x53 && c === 0x48) || // MSH
    ((a === 0x46 || a === 0x42) && ((b === 0x48 && c === 0x53) || (b === 0x54 && c === 0x53))); // FHS BHS FTS BTS
  if (!known) return false;
  if (line.length === 3) return true;
  const d = line.charCodeAt(3);
  return !((d >= 0x30 && d <= 0x39) || (d >= 0x41 && d <= 0x5a) || (d >= 0x61 && d <= 0x7a));
}

type BatchItem = { message: Hl7Message } | { envelope: SegmentSlot; separators: Hl7Separators } | { blank: string };

/** Walks a batch file once, yielding messages, envelope segments and stray blank lines in order. */
function* batchItems(input: string | Uint8Array | ArrayBuffer): Generator<BatchItem> {
  const lines = splitLines(toHl7Text(input));
  let current: Hl7Separators | undefined;
  // The message being collected: its slots (its separators are `current`). One ID check per line.
  let slots: SegmentSlot[] | undefined;
  let any = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (isBlankLine(line)) {
      // Blank lines inside a message stay with it (so it prints back the same); others stand alone.
      if (slots) slots.push({ name: '', raw: line, cuts: undefined, fields: undefined });
      else yield { blank: line };
      continue;
    }
    if (startsMessageOrEnvelope(line)) {
      const head = line.slice(0, 3);
      // The message collected so far keeps its own separators: finish it before reading new ones.
      if (slots && current) yield { message: new Hl7Message(current, slots) };
      slots = undefined;
      any = true;
      if (head === 'MSH' || head === 'FHS' || head === 'BHS') current = readSeparators(line, i);
      if (head === 'MSH') {
        slots = [{ name: 'MSH', raw: line, cuts: undefined, fields: undefined }];
        continue;
      }
      if (current === undefined) {
        throw new Hl7ParseError('batch does not start with FHS, BHS or MSH', { reason: 'missing_header', segmentIndex: i });
      }
      segmentId(line, current, i);
      yield { envelope: { name: head, raw: line, cuts: undefined, fields: undefined }, separators: current };
      continue;
    }
    if (current === undefined) {
      throw new Hl7ParseError('batch does not start with FHS, BHS or MSH', { reason: 'missing_header', segmentIndex: i });
    }
    const name = segmentId(line, current, i);
    if (slots === undefined) {
      throw new Hl7ParseError('segment outside a message in a batch', { reason: 'batch_structure', segmentIndex: i });
    }
    slots.push({ name, raw: line, cuts: undefined, fields: undefined });
  }
  if (slots && current) yield { message: new Hl7Message(current, slots) };
  if (!any) throw new Hl7ParseError('input is empty', { reason: 'empty' });
}

/**
 * Parses a batch file (FHS/BHS … BTS/FTS, or several MSH one after another). Throws
 * {@link Hl7ParseError} when a segment outside a message is not an envelope segment, or any
 * message is malformed. Per message it costs the same as {@link parseHl7}; for very large files
 * prefer {@link iterateHl7Batch}, which holds one message at a time.
 */
export function parseHl7Batch(input: string | Uint8Array | ArrayBuffer): Hl7Batch {
  const messages: Hl7Message[] = [];
  const parts: Part[] = [];
  const envelopeSlots: SegmentSlot[] = [];
  let envelopeSeparators: Hl7Separators | undefined;
  for (const item of batchItems(input)) {
    if ('message' in item) {
      messages.push(item.message);
      parts.push(item.message);
    } else if ('envelope' in item) {
      envelopeSeparators ??= item.separators;
      parts.push({ envelopeLine: envelopeSlots.length });
      envelopeSlots.push(item.envelope);
    } else {
      parts.push(item);
    }
  }
  const envelope = envelopeSeparators ? new Hl7Message(envelopeSeparators, envelopeSlots) : undefined;
  return new Hl7Batch(messages, envelope, parts);
}

/**
 * The messages of a batch file one at a time, checked as {@link parseHl7Batch} checks them, so a
 * file of any size is processed with one message in memory besides the text. Throws
 * {@link Hl7ParseError} at the first malformed line (messages before it were already yielded).
 */
export function* iterateHl7Batch(input: string | Uint8Array | ArrayBuffer): Generator<Hl7Message, void, undefined> {
  for (const item of batchItems(input)) if ('message' in item) yield item.message;
}
