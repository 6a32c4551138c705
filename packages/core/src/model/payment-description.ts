// Payments are not PHI, but their free-text description travels to the processor, its dashboard,
// bank statements and settlement files. A diagnosis must never go there: this check refuses a
// description that carries a condition code or a term from the host's own clinical vocabulary.

/** What {@link findDiagnosisInText} found: the kind only, never the matched text (it is PHI). */
export type DiagnosisFinding = 'condition_code' | 'vocabulary_term';

/** Options of {@link findDiagnosisInText}. */
export interface DiagnosisCheckOptions {
  /**
   * Condition names the host refuses in payment text (`diabetes`, `السكري`, a ward that names a
   * disease, …). Matched case-insensitively as whole words, Arabic diacritics, tatweel and alef
   * forms ignored.
   */
  vocabulary?: readonly string[];
}

// ICD-10 (WHO and -CM): a letter (U is reserved for special use and kept), two characters of which
// the first is a digit, then an optional dot and up to four more. Upper case only, and not glued to
// other id characters, so order numbers like `INV-A12` or `#B20` do not trip it.
const ICD10 = /(?<![\p{L}\p{N}_\-/#.])[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?(?![\p{L}\p{N}_\-/])/u;

/** Folds text for vocabulary matching: NFKC, lower case, no Arabic diacritics or tatweel, one alef. */
export function foldClinicalText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u064B-\u065F\u0670\u0640]/g, '')
    .replace(/[\u0622\u0623\u0625]/g, '\u0627')
    .replace(/\u0649/g, '\u064A')
    .replace(/\u0629/g, '\u0647');
}

function containsWord(haystack: string, needle: string): boolean {
  if (!needle) return false;
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : haystack[at - 1]!;
    const after = haystack[at + needle.length] ?? '';
    // Arabic attaches prefixes (ال, و, ب): a match after one of them still counts as the word.
    const startOk = before === '' || !/[\p{L}\p{N}]/u.test(before) || /[\u0600-\u06FF]/.test(needle[0]!);
    if (startOk && (after === '' || !/[\p{L}\p{N}]/u.test(after))) return true;
    from = at + 1;
  }
}

/**
 * Whether `text` carries a diagnosis: an ICD-10 style condition code (`E11.9`, `J45`) or a term of
 * the host's vocabulary. Linear in the text and the vocabulary; returns the kind of finding only.
 */
export function findDiagnosisInText(text: string, options: DiagnosisCheckOptions = {}): DiagnosisFinding | undefined {
  if (ICD10.test(text)) return 'condition_code';
  const vocabulary = options.vocabulary ?? [];
  if (vocabulary.length === 0) return undefined;
  const folded = foldClinicalText(text);
  for (const term of vocabulary) {
    if (containsWord(folded, foldClinicalText(term).trim())) return 'vocabulary_term';
  }
  return undefined;
}
