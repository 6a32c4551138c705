import { randomBytes } from 'node:crypto';
import type { Hl7Message } from './parser/message.js';
import { encodeEscapes } from './parser/escape.js';
import { parseHl7 } from './parser/parse.js';
import { encodingCharacters } from './parser/separators.js';

/** MSA-1 acknowledgement codes: original mode (AA/AE/AR) and enhanced mode (CA/CE/CR). */
export type Hl7AckCode = 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR';

/** Options of {@link buildAck}. */
export interface BuildAckOptions {
  /** MSA-3 text. Never put patient data here: ACKs end up in interface-engine logs. */
  text?: string;
  /** An HL7 table 0357 error code (e.g. `207` application internal error) for an ERR segment. */
  errorCode?: string;
  /** MSH-10 of the ACK; a random 20-character ID by default. */
  controlId?: string;
  /** MSH-7 of the ACK; now by default. */
  timestamp?: Date;
}

/** A random message control ID of 20 characters (the MSH-10 length limit before v2.7). */
export function newControlId(): string {
  return randomBytes(10).toString('hex').toUpperCase();
}

/** An HL7 timestamp `YYYYMMDDHHMMSS+0000` (UTC) for `date`. */
export function formatHl7Timestamp(date: Date): string {
  const iso = date.toISOString(); // 2024-01-02T03:04:05.678Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+0000`;
}

/**
 * Builds the acknowledgement of `message`: sender and receiver swapped (MSH-3/4 ↔ MSH-5/6), a new
 * MSH-7 and MSH-10, MSH-9 `ACK^<trigger>^ACK`, the same processing ID, version and separators;
 * MSA-1 the code and MSA-2 the original MSH-10.
 */
export function buildAck(message: Hl7Message, code: Hl7AckCode, options: BuildAckOptions = {}): Hl7Message {
  const s = message.separators;
  const f = s.field;
  const raw = (path: string) => message.getEncoded(path) ?? '';
  const msh = [
    `MSH${f}${encodingCharacters(s)}`,
    raw('MSH-5'),
    raw('MSH-6'),
    raw('MSH-3'),
    raw('MSH-4'),
    formatHl7Timestamp(options.timestamp ?? new Date()),
    '',
    ['ACK', raw('MSH-9.2'), 'ACK'].join(s.component),
    encodeEscapes(options.controlId ?? newControlId(), s),
    raw('MSH-11'),
    raw('MSH-12'),
  ].join(f);
  const msa = ['MSA', code, raw('MSH-10'), ...(options.text ? [encodeEscapes(options.text, s)] : [])].join(f);
  const segments = [msh, msa];
  if (options.errorCode !== undefined) {
    const severity = code === 'AA' || code === 'CA' ? 'I' : 'E';
    const cwe = [encodeEscapes(options.errorCode, s), encodeEscapes(options.text ?? '', s), 'HL70357'].join(s.component);
    segments.push(['ERR', '', '', cwe, severity].join(f));
  }
  return parseHl7(`${segments.join('\r')}\r`);
}

/** MSA-1 of an acknowledgement, when it is one. */
export function ackCode(ack: Hl7Message): Hl7AckCode | undefined {
  const code = ack.get('MSA-1');
  return code === 'AA' || code === 'AE' || code === 'AR' || code === 'CA' || code === 'CE' || code === 'CR' ? code : undefined;
}
