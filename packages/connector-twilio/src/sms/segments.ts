/** The two SMS encodings: GSM 03.38 7-bit, or UCS-2 (UTF-16 on the wire). */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** How an SMS body is encoded and how many parts it is sent (and billed) as. */
export interface SmsSegmentCount {
  /** GSM-7 when every character is in the GSM 03.38 tables, else UCS-2. */
  encoding: SmsEncoding;
  /** Parts the carrier receives; each is billed as one SMS. 0 for an empty body. */
  segments: number;
  /**
   * Payload size: septets for GSM-7 (an extension character counts 2), UTF-16 code units for
   * UCS-2 (a character outside the BMP, such as most emoji, counts 2).
   */
  units: number;
}

/**
 * GSM 03.38 default alphabet (3GPP TS 23.038 §6.2.1), in table order. Position 0x1B is the escape
 * to the extension table and is not a character; position 0x09 is `Ç` in the standard.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ' + // 0x00–0x1A (0x1B is ESC)
  'ÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** GSM 03.38 extension table (default): each is sent as ESC + char, so it costs two septets. */
const GSM_EXTENSION = '\f^{}\\[~]|€';

// Septets per UTF-16 code unit: 1 basic, 2 extension, 0 not in GSM 03.38. Every GSM character is
// a single BMP code unit, so one lookup per unit decides. Built once; never written afterwards.
const SEPTETS = new Uint8Array(0x10000);
for (const char of GSM_BASIC) SEPTETS[char.charCodeAt(0)] = 1;
for (const char of GSM_EXTENSION) SEPTETS[char.charCodeAt(0)] = 2;

const GSM_SINGLE = 160;
const GSM_MULTI = 153; // 160 − 7 septets of the concatenation header (UDH)
const UCS2_SINGLE = 70;
const UCS2_MULTI = 67; // 70 − 3 code units of the UDH

/** Whether `char` (one code point) is in the GSM 03.38 basic or extension table. */
export function isGsmCharacter(char: string): boolean {
  return char.length === 1 && SEPTETS[char.charCodeAt(0)] !== 0;
}

/** Whether every character of `text` can be sent in GSM-7. */
export function isGsm7(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (SEPTETS[text.charCodeAt(i)] === 0) return false;
  return true;
}

/** Whether the code unit at `i` starts a surrogate pair, which must not be split. */
function isPairStart(text: string, i: number): boolean {
  const unit = text.charCodeAt(i);
  if (unit < 0xd800 || unit > 0xdbff || i + 1 >= text.length) return false;
  const next = text.charCodeAt(i + 1);
  return next >= 0xdc00 && next <= 0xdfff;
}

/**
 * Packs indivisible pieces (sizes 1 or 2) into segments of at most `capacity` units, never splitting
 * a piece: a two-septet extension character or a surrogate pair that does not fit starts a new
 * segment, leaving the last unit of the previous one empty — what handsets and Twilio do.
 */
function packSegments(text: string, capacity: number, gsm: boolean): number {
  let segments = 1;
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    let size: number;
    if (gsm) size = SEPTETS[text.charCodeAt(i)] as number;
    else if (isPairStart(text, i)) {
      size = 2;
      i++;
    } else size = 1;
    if (used + size > capacity) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return segments;
}

/**
 * Counts the SMS segments of `text` the way Twilio and the carriers do:
 * - GSM-7 when every character is in the GSM 03.38 basic or extension table; an extension
 *   character (`€ [ ] { } \ ^ ~ |` and form feed) costs two septets and is never split across
 *   segments. One segment holds 160 septets; a concatenated message 153 per segment.
 * - UCS-2 otherwise (any Arabic letter, most accented letters, emoji): units are UTF-16 code units,
 *   70 in one segment, 67 per segment when concatenated; a surrogate pair is never split.
 *
 * An empty text is 0 segments: Twilio refuses an empty body (error 21602) so nothing is sent or billed.
 * Twilio's optional Smart Encoding (which replaces curly quotes and similar with GSM look-alikes)
 * is not applied here: the count is for the text as given.
 */
export function countSmsSegments(text: string): SmsSegmentCount {
  if (text.length === 0) return { encoding: 'GSM-7', segments: 0, units: 0 };
  let units = 0;
  for (let i = 0; i < text.length; i++) {
    const septets = SEPTETS[text.charCodeAt(i)] as number;
    if (septets === 0) {
      units = -1;
      break;
    }
    units += septets;
  }
  if (units >= 0) {
    const segments = units <= GSM_SINGLE ? 1 : packSegments(text, GSM_MULTI, true);
    return { encoding: 'GSM-7', segments, units };
  }
  const segments = text.length <= UCS2_SINGLE ? 1 : packSegments(text, UCS2_MULTI, false);
  return { encoding: 'UCS-2', segments, units: text.length };
}
