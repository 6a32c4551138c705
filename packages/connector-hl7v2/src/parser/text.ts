import { Hl7ParseError } from '../hl7v2-error.js';
import { hl7CharsetLabel } from './charset.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function lineEnd(bytes: Uint8Array, from: number): number {
  for (let i = from; i < bytes.length; i++) if (bytes[i] === 0x0d || bytes[i] === 0x0a) return i;
  return bytes.length;
}

/** MSH-18 read from the raw bytes of the first segment (ASCII-safe), when declared. */
function declaredCharset(bytes: Uint8Array, start: number): string | undefined {
  if (bytes.length < start + 8 || bytes[start] !== 0x4d || bytes[start + 1] !== 0x53 || bytes[start + 2] !== 0x48)
    return undefined;
  const end = Math.min(lineEnd(bytes, start), start + 4096);
  const fieldSep = bytes[start + 3]!;
  let field = 1;
  let from = start + 4;
  for (let i = start + 4; i <= end; i++) {
    if (i === end || bytes[i] === fieldSep) {
      field++;
      if (field === 18) {
        let text = '';
        for (let k = from; k < i; k++) text += String.fromCharCode(bytes[k]!);
        // First repetition, first component: the encoding chars start right after the field separator.
        const component = String.fromCharCode(bytes[start + 4]!);
        const repetition = String.fromCharCode(bytes[start + 5]!);
        return text.split(repetition)[0]!.split(component)[0]!.trim().toUpperCase() || undefined;
      }
      from = i + 1;
    }
  }
  return undefined;
}

/**
 * Turns the input into text: strings as they are, bytes as UTF-8 (or the MSH-18 character set
 * when the message declares an ISO 8859 one). A leading byte-order mark is dropped. Bytes that
 * are not valid in the character set throw rather than turn into replacement characters.
 */
export function toHl7Text(input: unknown): string {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : input;
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    const body = start === 0 ? bytes : bytes.subarray(start);
    const charset = hl7CharsetLabel(declaredCharset(bytes, start));
    try {
      text = charset === 'utf-8' ? utf8.decode(body) : new TextDecoder(charset, { fatal: true }).decode(body);
    } catch {
      throw new Hl7ParseError(`bytes are not valid ${charset}`, { reason: 'invalid_encoding' });
    }
  } else {
    throw new Hl7ParseError('input must be a string or bytes', { reason: 'invalid_input' });
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Splits text into lines on CR, LF or CRLF. A final line end yields a final empty line. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  let cr = text.indexOf('\r');
  let lf = text.indexOf('\n');
  for (;;) {
    let end: number;
    let next: number;
    if (cr === -1 && lf === -1) break;
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      end = cr;
      next = lf === cr + 1 ? cr + 2 : cr + 1;
    } else {
      end = lf;
      next = lf + 1;
    }
    lines.push(text.slice(start, end));
    start = next;
    if (cr !== -1 && cr < next) cr = text.indexOf('\r', next);
    if (lf !== -1 && lf < next) lf = text.indexOf('\n', next);
  }
  lines.push(text.slice(start));
  return lines;
}
