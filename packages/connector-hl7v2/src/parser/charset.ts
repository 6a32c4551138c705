// MSH-18 character sets (HL7 table 0211) that have a WHATWG decoder. ASCII and the Unicode names
// decode as UTF-8 (a superset of ASCII, and what senders that leave MSH-18 empty really write);
// sets without a decoder (ISO IR87 and the like) fall back to UTF-8 as well.
const CHARSETS: Readonly<Record<string, string>> = Object.freeze({
  ASCII: 'utf-8',
  'UNICODE UTF-8': 'utf-8',
  UNICODE: 'utf-8',
  'UTF-8': 'utf-8',
  '8859/1': 'iso-8859-1',
  '8859/2': 'iso-8859-2',
  '8859/3': 'iso-8859-3',
  '8859/4': 'iso-8859-4',
  '8859/5': 'iso-8859-5',
  '8859/6': 'iso-8859-6',
  '8859/7': 'iso-8859-7',
  '8859/8': 'iso-8859-8',
  '8859/9': 'iso-8859-9',
  '8859/15': 'iso-8859-15',
});

/**
 * The WHATWG encoding label (`utf-8`, `iso-8859-6`, …) for an MSH-18 value such as
 * `UNICODE UTF-8` or `8859/6`. Empty, unknown or missing values give `utf-8`.
 */
export function hl7CharsetLabel(msh18: string | undefined): string {
  if (!msh18) return 'utf-8';
  return CHARSETS[msh18.trim().toUpperCase()] ?? 'utf-8';
}

/** True when every byte is one character in this charset (ISO 8859), so no character spans bytes. */
export function isSingleByteCharset(label: string): boolean {
  return label.startsWith('iso-8859-');
}
