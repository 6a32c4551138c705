import { ValidationError } from '@hmi/core';
import { hl7CharsetLabel } from './charset.js';
import { decodeEscapes, encodeEscapes } from './escape.js';
import { type Hl7Path, parseHl7Path } from './path.js';
import { encodingCharacters, type Hl7Separators, isHeaderSegmentName } from './separators.js';

/**
 * One line of a message. Fields are split only when a path first reaches into the segment, and the
 * raw text is kept until a `set` changes the segment, so an untouched message prints exactly as read.
 * A blank line is kept as a slot named `''` so that printing reproduces it.
 * @internal
 */
export interface SegmentSlot {
  name: string;
  /** The segment's text; undefined after a `set` until it is printed again. */
  raw: string | undefined;
  /**
   * Offsets of the field separators in `raw`, found as far as a path needed (no substrings
   * allocated); a final -1 means there are no more.
   */
  cuts: number[] | undefined;
  /**
   * Index = HL7 field number: `[name, F1, F2, …]`; for MSH/BHS/FHS F1 is the field separator.
   * Only built when a `set` changes the segment.
   */
  fields: string[] | undefined;
}

function pick(text: string, separator: string, n: number): string | undefined {
  let start = 0;
  for (let k = 1; k < n; k++) {
    const at = text.indexOf(separator, start);
    if (at === -1) return undefined;
    start = at + 1;
  }
  const end = text.indexOf(separator, start);
  return end === -1 ? (start === 0 ? text : text.slice(start)) : text.slice(start, end);
}

function padTo(parts: string[], length: number): void {
  while (parts.length < length) parts.push('');
}

function readOnlyHeaderField(path: string): ValidationError {
  return new ValidationError(`${path} holds the message's separators and cannot be set`, {
    code: 'hl7_invalid_path',
    issues: [{ path: ['path'], code: 'hl7_invalid_path', message: 'separator fields are read-only' }],
  });
}

/**
 * A parsed HL7 v2 message. Read values with {@link Hl7Message.get} (escapes decoded), change them
 * with {@link Hl7Message.set} (escaped for you), and print with {@link Hl7Message.toString}, which
 * gives back the input exactly (segments joined with CR) while nothing was changed.
 *
 * Paths are `SEG[n]-F[r].C.S`, all 1-based: `PID-5.1`, `PID[2]-3[2].1`, `MSH-9.2`. `MSH-1` is the
 * field separator and `MSH-2` the encoding characters, as the standard counts them.
 */
export class Hl7Message {
  /** The delimiters this message was written with. */
  readonly separators: Hl7Separators;
  readonly #slots: SegmentSlot[];
  #charset: string | undefined;

  /** @internal Use {@link parseHl7} or {@link parseHl7Batch}. */
  constructor(separators: Hl7Separators, slots: SegmentSlot[]) {
    this.separators = separators;
    this.#slots = slots;
  }

  /** MSH-9.1, e.g. `ADT`. */
  get messageType(): string | undefined {
    return this.get('MSH-9.1');
  }

  /** MSH-9.2, e.g. `A01`. */
  get triggerEvent(): string | undefined {
    return this.get('MSH-9.2');
  }

  /** MSH-10, the message control ID that the ACK quotes in MSA-2. */
  get controlId(): string | undefined {
    return this.get('MSH-10.1');
  }

  /** MSH-12.1, e.g. `2.5.1`. */
  get version(): string | undefined {
    return this.get('MSH-12.1');
  }

  /**
   * The WHATWG label of the character set MSH-18 declares (`utf-8` when empty or unknown):
   * `\Xhh\` escapes are decoded in it.
   */
  get charset(): string {
    if (this.#charset === undefined) {
      const declared = this.getEncoded('MSH-18');
      const s = this.separators;
      // First repetition, first component: `UNICODE UTF-8`, `8859/6`, …
      this.#charset = hl7CharsetLabel(declared?.split(s.repetition)[0]?.split(s.component)[0]);
    }
    return this.#charset;
  }

  /**
   * What the parser had to repair to read the message, each with a stable code: today only a
   * malformed MSH-2 read as `^~\&` (`MSH-2: escape_character_repeated`). Empty for a clean message.
   */
  get warnings(): string[] {
    return this.separators.repaired ? [`MSH-2: ${this.separators.repaired}`] : [];
  }

  /** Segment IDs in order (blank lines left out). */
  segmentNames(): string[] {
    const names: string[] = [];
    for (const slot of this.#slots) if (slot.name !== '') names.push(slot.name);
    return names;
  }

  /** How many times the segment occurs. */
  count(segment: string): number {
    let n = 0;
    for (const slot of this.#slots) if (slot.name === segment) n++;
    return n;
  }

  /**
   * The value at `path`, escapes decoded, or `undefined` when the segment, field, repetition or
   * component is not there (an empty field present in the message gives `''`). Omitted parts
   * default to the first. When the value asked for still has structure (a field whose components
   * you did not pick, such as `MSH-9` → `ADT^A01^ADT_A01`), it is returned as written, separators
   * and escapes intact; name a component to get decoded text.
   */
  get(path: string | Hl7Path): string | undefined {
    const p = typeof path === 'string' ? parseHl7Path(path) : path;
    const slot = this.#find(p.segment, p.segmentIndex ?? 1);
    if (slot === undefined) return undefined;
    const field = this.#field(slot, p.field);
    return field === undefined ? undefined : this.#drill(field, slot.name, p, p.repetition ?? 1);
  }

  /**
   * The value at `path` exactly as written: escapes and any separators below it left encoded.
   * Use it to copy a value from one message to another with the same separators.
   */
  getEncoded(path: string | Hl7Path): string | undefined {
    const p = typeof path === 'string' ? parseHl7Path(path) : path;
    const slot = this.#find(p.segment, p.segmentIndex ?? 1);
    if (slot === undefined) return undefined;
    const field = this.#field(slot, p.field);
    return field === undefined ? undefined : this.#drill(field, slot.name, p, p.repetition ?? 1, false);
  }

  /**
   * Every repetition of a field as components of subcomponents, all decoded:
   * `repetitions('PID-5')[1][0][0]` is the surname of the second name. `[]` when the field is
   * missing or empty. The path names a field (`PID[2]-3`); repetition and component parts are ignored.
   */
  repetitions(path: string | Hl7Path): string[][][] {
    const p = typeof path === 'string' ? parseHl7Path(path) : path;
    const slot = this.#find(p.segment, p.segmentIndex ?? 1);
    if (slot === undefined) return [];
    const field = this.#field(slot, p.field);
    if (field === undefined || field === '') return [];
    const s = this.separators;
    if (isHeaderSegmentName(slot.name) && p.field <= 2) return [[[field]]];
    return field
      .split(s.repetition)
      .map((rep) =>
        rep
          .split(s.component)
          .map((component) => component.split(s.subcomponent).map((v) => decodeEscapes(v, s, { charset: this.charset }))),
      );
  }

  /**
   * Every value at `path`: all occurrences of the segment unless `[n]` is given, and all
   * repetitions of the field unless `[r]` is given. Missing values are left out; an empty field
   * has no repetitions.
   */
  getAll(path: string | Hl7Path): string[] {
    const p = typeof path === 'string' ? parseHl7Path(path) : path;
    const out: string[] = [];
    let occurrence = 0;
    for (const slot of this.#slots) {
      if (slot.name !== p.segment) continue;
      occurrence++;
      if (p.segmentIndex !== undefined && occurrence !== p.segmentIndex) continue;
      const field = this.#field(slot, p.field);
      if (field === undefined || field === '') continue;
      if (p.repetition !== undefined || (isHeaderSegmentName(slot.name) && p.field <= 2)) {
        const value = this.#drill(field, slot.name, p, p.repetition ?? 1);
        if (value !== undefined) out.push(value);
        continue;
      }
      let start = 0;
      const sep = this.separators.repetition;
      for (;;) {
        const end = field.indexOf(sep, start);
        const rep = end === -1 ? field.slice(start) : field.slice(start, end);
        const value = this.#drill(rep, slot.name, p, 1);
        if (value !== undefined) out.push(value);
        if (end === -1) break;
        start = end + 1;
      }
      if (p.segmentIndex !== undefined) break;
    }
    return out;
  }

  /**
   * Sets the value at `path`, escaping separators, the escape character and line breaks. Creates the
   * segment (after the last one of its kind, else at the end), field, repetition, component and
   * subcomponent as needed. Setting a field or component replaces everything below it.
   * MSH-1 and MSH-2 cannot be set.
   */
  set(path: string | Hl7Path, value: string): this {
    const p = typeof path === 'string' ? parseHl7Path(path) : path;
    if (isHeaderSegmentName(p.segment) && p.field <= 2) throw readOnlyHeaderField(`${p.segment}-${p.field}`);
    const s = this.separators;
    if (p.segment === 'MSH') this.#charset = undefined; // MSH-18 may change
    const slot = this.#findOrCreate(p.segment, p.segmentIndex ?? 1);
    const fields = slot.fields ?? this.#split(slot);
    padTo(fields, p.field + 1);
    slot.cuts = undefined;
    const encoded = encodeEscapes(String(value), s);
    const reps = fields[p.field] === '' ? [''] : fields[p.field]!.split(s.repetition);
    const r = (p.repetition ?? 1) - 1;
    padTo(reps, r + 1);
    if (p.component === undefined) {
      reps[r] = encoded;
    } else {
      const comps = reps[r]!.split(s.component);
      padTo(comps, p.component);
      if (p.subcomponent === undefined) {
        comps[p.component - 1] = encoded;
      } else {
        const subs = comps[p.component - 1]!.split(s.subcomponent);
        padTo(subs, p.subcomponent);
        subs[p.subcomponent - 1] = encoded;
        comps[p.component - 1] = subs.join(s.subcomponent);
      }
      reps[r] = comps.join(s.component);
    }
    fields[p.field] = reps.join(s.repetition);
    slot.raw = undefined;
    return this;
  }

  /** Each segment as HL7 text, in order, blank lines included (`toString()` joins them with CR). */
  lines(): string[] {
    return this.#slots.map((slot) => slot.raw ?? (slot.raw = this.#join(slot)));
  }

  /**
   * The message as HL7 text, segments joined with CR. While nothing was changed this is the input
   * exactly, except that LF and CRLF line ends become CR and a leading byte-order mark is dropped.
   */
  toString(): string {
    const slots = this.#slots;
    let out = '';
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (i > 0) out += '\r';
      out += slot.raw ?? (slot.raw = this.#join(slot));
    }
    return out;
  }

  /**
   * A placeholder, not the text: a message holds patient data, and `JSON.stringify` is how objects
   * end up in logs. Call {@link Hl7Message.toString} for the HL7 text.
   */
  toJSON(): string {
    return '[Hl7Message]';
  }

  #drill(field: string, segment: string, p: Hl7Path, repetition: number, decode = true): string | undefined {
    const s = this.separators;
    if (p.field <= 2 && isHeaderSegmentName(segment)) {
      // MSH-1 and MSH-2 are the separators themselves: never split or decoded.
      return repetition === 1 && (p.component ?? 1) === 1 && (p.subcomponent ?? 1) === 1 ? field : undefined;
    }
    let v: string | undefined = field;
    if (repetition > 1 || v.includes(s.repetition)) {
      v = pick(v, s.repetition, repetition);
      if (v === undefined) return undefined;
    }
    if (p.component === undefined) {
      return !decode || v.includes(s.component) || v.includes(s.subcomponent)
        ? v
        : decodeEscapes(v, s, { charset: this.charset });
    }
    v = pick(v, s.component, p.component);
    if (v === undefined) return undefined;
    if (p.subcomponent === undefined) {
      return !decode || v.includes(s.subcomponent) ? v : decodeEscapes(v, s, { charset: this.charset });
    }
    v = pick(v, s.subcomponent, p.subcomponent);
    return v === undefined || !decode ? v : decodeEscapes(v, s, { charset: this.charset });
  }

  #find(name: string, occurrence: number): SegmentSlot | undefined {
    let n = 0;
    const slots = this.#slots;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (slot.name === name && ++n === occurrence) return slot;
    }
    return undefined;
  }

  #findOrCreate(name: string, occurrence: number): SegmentSlot {
    const slots = this.#slots;
    let n = 0;
    let lastOfKind = -1;
    for (let i = 0; i < slots.length; i++) {
      if (slots[i]!.name !== name) continue;
      if (++n === occurrence) return slots[i]!;
      lastOfKind = i;
    }
    let at = lastOfKind + 1;
    if (lastOfKind === -1) {
      // At the end, but before trailing blank lines so a final line end stays final.
      at = slots.length;
      while (at > 0 && slots[at - 1]!.name === '') at--;
    }
    let created: SegmentSlot | undefined;
    for (; n < occurrence; n++) {
      const fields = isHeaderSegmentName(name) ? [name, this.separators.field, encodingCharacters(this.separators)] : [name];
      created = { name, raw: undefined, cuts: undefined, fields };
      slots.splice(at++, 0, created);
    }
    return created!;
  }

  /** Field `n` (HL7 numbering) of a segment, without splitting the whole segment. */
  #field(slot: SegmentSlot, n: number): string | undefined {
    if (slot.fields !== undefined) return slot.fields[n];
    const raw = slot.raw!;
    const sep = this.separators.field;
    // For MSH/BHS/FHS the first separator *is* field 1, so field n starts after cut n-2.
    const last = slot.name.charCodeAt(2); // 'H' of MSH, 'S' of BHS/FHS: a cheap filter first
    const header = (last === 0x48 || last === 0x53) && isHeaderSegmentName(slot.name);
    if (header && n === 1) return sep;
    const k = header ? n - 1 : n;
    let cuts = slot.cuts;
    if (cuts === undefined) cuts = slot.cuts = [];
    // Find separators only as far as needed; -1 at the end marks a fully scanned segment.
    while (cuts.length <= k && cuts[cuts.length - 1] !== -1) {
      const last = cuts.length === 0 ? -1 : cuts[cuts.length - 1]!;
      cuts.push(raw.indexOf(sep, last + 1));
    }
    const start = cuts[k - 1]!;
    if (start === -1 || start === undefined) return undefined;
    const end = cuts[k];
    return raw.slice(start + 1, end === undefined || end === -1 ? raw.length : end);
  }

  #split(slot: SegmentSlot): string[] {
    const raw = slot.raw ?? '';
    const fields = raw.split(this.separators.field);
    if (isHeaderSegmentName(slot.name)) fields.splice(1, 0, this.separators.field);
    slot.fields = fields;
    return fields;
  }

  #join(slot: SegmentSlot): string {
    const fields = slot.fields!;
    const sep = this.separators.field;
    if (isHeaderSegmentName(slot.name)) return slot.name + sep + fields.slice(2).join(sep);
    return fields.join(sep);
  }
}
