import type { Hl7Separators } from './separators.js';

// Stateless decoder; `fatal` so that bytes that are not UTF-8 keep their escape sequence instead
// of turning into U+FFFD (which would lose data silently).
const utf8 = new TextDecoder('utf-8', { fatal: true });

function hexToBytes(hex: string): Uint8Array | undefined {
  if (hex.length === 0 || hex.length % 2 !== 0) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    const byte = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    if (Number.isNaN(byte)) return undefined;
    bytes[i] = byte;
  }
  return bytes;
}

const HEX = /^[0-9A-Fa-f]+$/;
const KEPT_SEQUENCE = /^(?:[HN]|\.[a-z]{2}[+-]?\d*|[CMZX][0-9A-Za-z]+)$/;

/**
 * Decodes HL7 escape sequences: `\F\ \S\ \T\ \R\ \E\` to the separators, `\P\` to the truncation
 * character, `\.br\` to a line feed and `\Xhh…\` to the UTF-8 text of those bytes (consecutive
 * `\X…\` runs are joined, so a character split across two escapes still decodes). Anything it
 * does not understand (`\H\`, `\N\`, `\.sp\`, an unterminated escape) is kept as written, so
 * nothing is lost.
 */
export function decodeEscapes(value: string, s: Hl7Separators): string {
  const esc = s.escape;
  let start = value.indexOf(esc);
  if (start === -1) return value;
  let out = '';
  let last = 0;
  while (start !== -1) {
    const end = value.indexOf(esc, start + 1);
    if (end === -1) break;
    const seq = value.slice(start + 1, end);
    let replacement: string | undefined;
    let next = end + 1;
    switch (seq) {
      case 'F':
        replacement = s.field;
        break;
      case 'S':
        replacement = s.component;
        break;
      case 'T':
        replacement = s.subcomponent;
        break;
      case 'R':
        replacement = s.repetition;
        break;
      case 'E':
        replacement = esc;
        break;
      case '.br':
        replacement = '\n';
        break;
      case 'P':
        replacement = s.truncation;
        break;
      default:
        if (seq.length > 1 && (seq[0] === 'X' || seq[0] === 'x') && HEX.test(seq.slice(1))) {
          // Join adjacent hex escapes: a multi-byte UTF-8 character may be split across them.
          let hex = seq.slice(1);
          while (value[next] === esc && (value[next + 1] === 'X' || value[next + 1] === 'x')) {
            const close = value.indexOf(esc, next + 1);
            if (close === -1) break;
            const more = value.slice(next + 2, close);
            if (!HEX.test(more)) break;
            hex += more;
            next = close + 1;
          }
          const bytes = hexToBytes(hex);
          if (bytes) {
            try {
              replacement = utf8.decode(bytes);
            } catch {
              replacement = undefined;
            }
          }
          if (replacement === undefined) next = end + 1;
        }
    }
    if (replacement === undefined && KEPT_SEQUENCE.test(seq)) {
      // A formatting escape we do not interpret (`\H\`, `\N\`, `\.sp\`, `\Cxxyy\`, …): keep it whole.
      out += value.slice(last, end + 1);
      last = end + 1;
      start = value.indexOf(esc, last);
      continue;
    }
    if (replacement === undefined) {
      // Not an escape at all (a stray escape character): keep it and carry on after it.
      out += value.slice(last, start + 1);
      last = start + 1;
      start = value.indexOf(esc, start + 1);
      continue;
    }
    out += value.slice(last, start) + replacement;
    last = next;
    start = value.indexOf(esc, next);
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

function hexByte(code: number): string {
  return code.toString(16).toUpperCase().padStart(2, '0');
}

/**
 * Encodes text for one HL7 value: separators and the escape character become `\F\ \S\ \T\ \R\ \E\`
 * (`\P\` for the truncation character), line breaks become `\.br\`, and other control characters
 * (which would break segments or MLLP framing) become `\Xhh\`.
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
