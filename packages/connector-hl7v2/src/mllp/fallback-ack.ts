import { type Hl7AckCode, buildAck, formatHl7Timestamp, newControlId } from '../ack.js';
import type { Hl7Message } from '../parser/message.js';
import { parseHl7 } from '../parser/parse.js';
import { splitLines } from '../parser/text.js';

/**
 * An ACK for bytes that did not parse as a whole: built from their MSH segment when that much is
 * readable (so MSA-2 still quotes MSH-10), else from a minimal standard header.
 */
export function fallbackAck(bytes: Uint8Array, code: Hl7AckCode, text: string): Hl7Message {
  try {
    const head = Buffer.from(bytes.subarray(0, 8192))
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const msh = splitLines(head)[0] ?? '';
    // A cut-off head may end inside a UTF-8 character or field; the MSH line itself is enough.
    return buildAck(parseHl7(msh), code, { text });
  } catch {
    return parseHl7(
      `MSH|^~\\&|||||${formatHl7Timestamp(new Date())}||ACK|${newControlId()}|P|2.5\rMSA|${code}||${text.replace(/[|^~\\&\r\n]/g, ' ')}\r`,
    );
  }
}
