import { isSingleByteCharset } from './charset.js';
import type { Hl7Separators } from './separators.js';

/** Options of {@link decodeEscapes}. */
export interface DecodeEscapesOptions {
  /**
   * WHATWG label of the message's character set (see MSH-18), in which `\Xhh\` bytes are read:
   * `utf-8` (the default), `iso-8859-1`, `iso-8859-6`, … (other labels read as UTF-8).
   */
  charset?: string;
  /**
   * Work counter: `steps` grows by the characters scanned and bytes decoded. It exists so that
   * tests can prove the decoder linear by counting rather than timing.
   * @internal
   */
  work?: { steps: number };
}

const KEPT_SEQUENCE = /^(?:[HN]|\.[a-z]{2}[+-]?\d*|[CMZX][0-9A-Za-z]+)$/;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Appends the bytes of `\Xhh…\` (text between `from` and `to`) to `bytes`; false when not hex of even length. */
function readHex(value: string, from: number, to: number, bytes: number[]): boolean {
  const length = to - from;
  if (length === 0 || length % 2 !== 0) return false;
  const mark = bytes.length;
  for (let i = from; i < to; i += 2) {
    const hi = hexValue(value.charCodeAt(i));
    const lo = hexValue(value.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) {
      bytes.length = mark;
      return false;
    }
    const byte = hi * 16 + lo;
    // NUL has no meaning in HL7 text and breaks C-based consumers downstream: it is dropped.
    if (byte !== 0) bytes.push(byte);
  }
  return true;
}

function hexByte(code: number): string {
  return code.toString(16).toUpperCase().padStart(2, '0');
}

/**
 * Length of the valid UTF-8 sequence at `i`, or 0 when the bytes there are not one (WHATWG rules:
 * no overlong forms, no surrogates, nothing above U+10FFFF). Checking by hand instead of catching
 * a fatal decoder's exception keeps hostile input (thousands of invalid bytes) cheap.
 */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const b0 = b[i]!;
  if (b0 < 0x80) return 1;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) n = 2;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3;
    if (b0 === 0xe0) lo = 0xa0;
    if (b0 === 0xed) hi = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4;
    if (b0 === 0xf0) lo = 0x90;
    if (b0 === 0xf4) hi = 0x8f;
  } else return 0;
  if (i + n > b.length) return 0;
  const b1 = b[i + 1]!;
  if (b1 < lo || b1 > hi) return 0;
  for (let k = 2; k < n; k++) {
    const bk = b[i + k]!;
    if (bk < 0x80 || bk > 0xbf) return 0;
  }
  return n;
}

interface RunDecoder {
  decoder: TextDecoder;
  singleByte: boolean;
}

function runDecoder(charset: string | undefined): RunDecoder {
  // ignoreBOM: a decoded U+FEFF is data here, not a byte-order mark to strip. Not fatal: invalid
  // bytes are found without exceptions (see decodeRun).
  if (charset && isSingleByteCharset(charset)) {
    try {
      return { decoder: new TextDecoder(charset, { ignoreBOM: true }), singleByte: true };
    } catch {
      // An unknown label: read as UTF-8 below.
    }
  }
  return { decoder: new TextDecoder('utf-8', { ignoreBOM: true }), singleByte: false };
}

/**
 * Decodes one run of adjacent `\X…\` bytes (a character may be split across escapes). Bytes that
 * are not valid in the charset are kept as `\Xhh\`, so no data is lost and no replacement
 * character appears. Linear in the run's length, without exceptions.
 */
function decodeRun(bytes: number[], run: RunDecoder, esc: string, work?: { steps: number }): string {
  const all = Uint8Array.from(bytes);
  if (work) work.steps += all.length;
  let ascii = true;
  for (let i = 0; i < all.length && ascii; i++) ascii = all[i]! < 0x80;
  // ASCII is the same in every supported charset, and the commonest case (`\X0D\`, `\X41\`).
  if (ascii) return all.length <= 1024 ? String.fromCharCode(...all) : run.decoder.decode(all); // spread: bounded stack
  if (run.singleByte) {
    // One byte is one character, so an unassigned byte is exactly one U+FFFD at its own index.
    const text = run.decoder.decode(all);
    if (!text.includes('\uFFFD')) return text;
    let out = '';
    for (let i = 0; i < text.length; i++) out += text[i] === '\uFFFD' ? `${esc}X${hexByte(all[i]!)}${esc}` : text[i];
    return out;
  }
  let out = '';
  let valid = 0;
  let i = 0;
  while (i < all.length) {
    const n = utf8SequenceLength(all, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (i > valid) out += run.decoder.decode(all.subarray(valid, i));
    out += `${esc}X${hexByte(all[i]!)}${esc}`;
    valid = ++i;
  }
  if (work) work.steps += all.length;
  if (valid === 0) return run.decoder.decode(all);
  return valid === all.length ? out : out + run.decoder.decode(all.subarray(valid));
}

/**
 * Decodes HL7 escape sequences: `\F\ \S\ \T\ \R\ \E\` to the separators, `\P\` to the truncation
 * character, `\.br\` to a line feed and `\Xhh…\` to the text of those bytes in the message's
 * character set (`options.charset`, UTF-8 by default; adjacent `\X…\` escapes are read as one run,
 * so a character split across two escapes still decodes). Bytes not valid in the charset stay as
 * `\Xhh\`; NUL bytes are dropped. Anything else it does not understand (`\H\`, `\N\`, `\.sp\`, an
 * unterminated escape) is kept as written, so nothing is lost.
 *
 * Linear in the length of `value` for every input: each character is scanned a bounded number of
 * times and each hex byte examined a bounded number of times.
 */
export function decodeEscapes(value: string, s: Hl7Separators, options: DecodeEscapesOptions = {}): string {
  const esc = s.escape;
  const work = options.work;
  let start = value.indexOf(esc);
  if (work) work.steps += start === -1 ? value.length : start + 1;
  if (start === -1) return value;
  let run: RunDecoder | undefined;
  let out = '';
  let last = 0;
  while (start !== -1) {
    const end = value.indexOf(esc, start + 1);
    if (work) work.steps += (end === -1 ? value.length : end) - start;
    if (end === -1) break;
    let replacement: string | undefined;
    let next = end + 1;
    const lead = value.charCodeAt(start + 1);
    if (end - start === 2) {
      const ch = value[start + 1];
      if (ch === 'F') replacement = s.field;
      else if (ch === 'S') replacement = s.component;
      else if (ch === 'T') replacement = s.subcomponent;
      else if (ch === 'R') replacement = s.repetition;
      else if (ch === 'E') replacement = esc;
      else if (ch === 'P') replacement = s.truncation;
    } else if (end - start === 4 && value.startsWith('.br', start + 1)) {
      replacement = '\n';
    } else if (lead === 0x58 || lead === 0x78) {
      // A run of adjacent hex escapes, each scanned once: the loop stops at the first escape that
      // is not hex, and the outer loop carries on from there.
      const bytes: number[] = [];
      if (readHex(value, start + 2, end, bytes)) {
        while (value[next] === esc && (value.charCodeAt(next + 1) === 0x58 || value.charCodeAt(next + 1) === 0x78)) {
          const close = value.indexOf(esc, next + 1);
          if (work) work.steps += (close === -1 ? value.length : close) - next;
          if (close === -1 || !readHex(value, next + 2, close, bytes)) break;
          next = close + 1;
        }
        run ??= runDecoder(options.charset);
        replacement = decodeRun(bytes, run, esc, work);
      }
    }
    if (replacement === undefined && KEPT_SEQUENCE.test(value.slice(start + 1, end))) {
      // A formatting escape we do not interpret (`\H\`, `\N\`, `\.sp\`, `\Cxxyy\`, …): keep it whole.
      out += value.slice(last, end + 1);
      last = end + 1;
      start = value.indexOf(esc, last);
      if (work) work.steps += (start === -1 ? value.length : start) - last + 1;
      continue;
    }
    if (replacement === undefined) {
      // Not an escape at all (a stray escape character): keep it and carry on after it.
      out += value.slice(last, start + 1);
      last = start + 1;
      start = end;
      continue;
    }
    out += value.slice(last, start) + replacement;
    last = next;
    start = value.indexOf(esc, next);
    if (work) work.steps += (start === -1 ? value.length : start) - next + 1;
  }
  return out + value.slice(last);
}

function needsEscape(value: string, s: Hl7Separators): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return (
    value.includes(s.escape) ||
    value.includes(s.field) ||
    value.includes(s.component) ||
    value.includes(s.repetition) ||
    value.includes(s.subcomponent) ||
    (s.truncation !== undefined && value.includes(s.truncation))
  );
}

/**
 * Encodes text for one HL7 value: separators and the escape character become `\F\ \S\ \T\ \R\ \E\`
 * (`\P\` for the truncation character), line breaks become `\.br\`, and other control characters
 * (which would break segments or MLLP framing) become `\Xhh\`; NUL is dropped.
 */
export function encodeEscapes(value: string, s: Hl7Separators): string {
  if (!needsEscape(value, s)) return value;
  const e = s.escape;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const code = value.charCodeAt(i);
    if (ch === e) out += `${e}E${e}`;
    else if (ch === s.field) out += `${e}F${e}`;
    else if (ch === s.component) out += `${e}S${e}`;
    else if (ch === s.subcomponent) out += `${e}T${e}`;
    else if (ch === s.repetition) out += `${e}R${e}`;
    else if (ch === s.truncation) out += `${e}P${e}`;
    else if (ch === '\n') out += `${e}.br${e}`;
    else if (ch === '\r' && value[i + 1] === '\n') {
      out += `${e}.br${e}`;
      i++;
    } else if (code < 0x20 || code === 0x7f) out += `${e}X${hexByte(code)}${e}`;
    else out += ch;
  }
  return out;
}
