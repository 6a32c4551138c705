import { Hl7ParseError } from '../hl7v2-error.js';

/**
 * The delimiters of one message, read from MSH-1 and MSH-2. Any legal choice works, not only
 * `|^~\&`: a sender may use `#` as field separator and `@$%*` as encoding characters.
 */
export interface Hl7Separators {
  /** MSH-1, `|` by default. */
  readonly field: string;
  /** First character of MSH-2, `^` by default. */
  readonly component: string;
  /** Second character of MSH-2, `~` by default. */
  readonly repetition: string;
  /** Third character of MSH-2, `\` by default. */
  readonly escape: string;
  /** Fourth character of MSH-2, `&` by default. */
  readonly subcomponent: string;
  /** Fifth character of MSH-2 (v2.7+ truncation character, `#`), when present. */
  readonly truncation: string | undefined;
  /**
   * Set when MSH-2 was malformed in a way real senders are known for and was read as the standard
   * `^~\&` (as HAPI, medplum and hl7parser read it): `escape_character_repeated` for `^~\\&`,
   * `component_separator_missing` for `~\&`. See {@link Hl7Message.warnings}.
   */
  readonly repaired?: 'escape_character_repeated' | 'component_separator_missing';
}

/** The standard separators `|^~\&`. */
export const DEFAULT_SEPARATORS: Hl7Separators = Object.freeze({
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
  truncation: undefined,
});

/** Segments whose first field is the field separator itself (MSH-1, BHS-1, FHS-1). */
export function isHeaderSegmentName(name: string): boolean {
  return name === 'MSH' || name === 'BHS' || name === 'FHS';
}

function isLegalSeparator(code: number): boolean {
  // Printable, not a letter or digit, not whitespace: anything else would be ambiguous with data.
  if (code <= 0x20 || code === 0x7f) return false;
  if (code >= 0x30 && code <= 0x39) return false;
  if (code >= 0x41 && code <= 0x5a) return false;
  if (code >= 0x61 && code <= 0x7a) return false;
  return true;
}

/** The encoding characters (MSH-2) of separators, e.g. `^~\&`. */
export function encodingCharacters(s: Hl7Separators): string {
  return s.component + s.repetition + s.escape + s.subcomponent + (s.truncation ?? '');
}

/**
 * Reads the separators from a header segment (`MSH|^~\&|…`, also BHS and FHS). Throws
 * Hl7ParseError when they are missing, repeated or not legal delimiters.
 */
export function readSeparators(segment: string, segmentIndex: number): Hl7Separators {
  // The common case, checked without allocating.
  if (segment.startsWith('|^~\\&', 3) && (segment.length === 8 || segment[8] === '|')) return DEFAULT_SEPARATORS;
  if (segment.length < 4) {
    throw new Hl7ParseError('header segment has no field separator', {
      reason: 'invalid_separators',
      segmentIndex,
      fieldPosition: 1,
    });
  }
  const field = segment[3]!;
  if (!isLegalSeparator(field.charCodeAt(0))) {
    throw new Hl7ParseError('field separator is not a legal delimiter', {
      reason: 'invalid_separators',
      segmentIndex,
      fieldPosition: 1,
    });
  }
  let end = segment.indexOf(field, 4);
  if (end === -1) end = segment.length;
  let chars = segment.slice(4, end);
  let repaired: Hl7Separators['repaired'];
  if (chars.length === 5 && chars[2] === chars[3] && chars[2] !== chars[4]) {
    // `^~\\&`: the escape character written twice (the sender escaped it as in a string literal).
    chars = chars.slice(0, 3) + chars.slice(4);
    repaired = 'escape_character_repeated';
  } else if (chars === '~\\&') {
    // `~\&`: the component separator left out; the rest of such messages use `^`.
    chars = `^${chars}`;
    repaired = 'component_separator_missing';
  }
  if (chars.length !== 4 && chars.length !== 5) {
    throw new Hl7ParseError('encoding characters must be 4 (or 5 with truncation)', {
      reason: 'invalid_separators',
      segmentIndex,
      fieldPosition: 2,
    });
  }
  const seen = new Set<string>([field]);
  for (const ch of chars) {
    if (!isLegalSeparator(ch.charCodeAt(0)) || seen.has(ch)) {
      throw new Hl7ParseError('encoding characters repeat or are not legal delimiters', {
        reason: 'invalid_separators',
        segmentIndex,
        fieldPosition: 2,
      });
    }
    seen.add(ch);
  }
  if (field === '|' && chars === '^~\\&' && !repaired) return DEFAULT_SEPARATORS;
  return Object.freeze({
    ...(repaired && { repaired }),
    field,
    component: chars[0]!,
    repetition: chars[1]!,
    escape: chars[2]!,
    subcomponent: chars[3]!,
    truncation: chars[4],
  });
}
