/**
 * Inbound opt-out, opt-in and help keywords in English and Arabic, shared by every messaging
 * connector (Twilio SMS, WhatsApp): one list, so a patient's إيقاف means the same on each channel.
 */

/** What an inbound keyword asks for. */
export type InboundKeyword = 'opt-out' | 'opt-in' | 'help';

/** The default opt-out keywords: Twilio's standard (carrier) list plus Arabic stop/cancel words. */
export const DEFAULT_OPT_OUT_KEYWORDS: readonly string[] = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
  'إيقاف',
  'ايقاف',
  'إلغاء',
  'الغاء',
  'توقف',
];

/** The default opt-in keywords (Twilio's standard list). */
export const DEFAULT_OPT_IN_KEYWORDS: readonly string[] = ['START', 'YES', 'UNSTOP'];

/** The default help keywords (Twilio's standard list). */
export const DEFAULT_HELP_KEYWORDS: readonly string[] = ['HELP', 'INFO'];

/** Custom keyword lists. By default they are added to the built-in lists. */
export interface KeywordOptions {
  optOut?: readonly string[];
  optIn?: readonly string[];
  help?: readonly string[];
  /**
   * When true, each list given replaces the built-in list of its kind (a kind not given keeps its
   * built-in list; pass `[]` to switch a kind off). Default false: lists are added.
   */
  replace?: boolean;
}

// Arabic harakat (fathatan … sukun, maddah, hamza marks), superscript alef, Quranic marks.
const ARABIC_DIACRITICS = /[\u064B-\u065F\u0670\u06D6-\u06ED]/g;
const TATWEEL = /\u0640/g;
// Direction marks, isolates, zero-width characters and BOM that phones paste around RTL text.
const INVISIBLES = /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
// Alef with hamza above/below, madda, wasla: people type them interchangeably with bare alef.
const ALEF_VARIANTS = /[\u0622\u0623\u0625\u0671]/g;

/**
 * Normalises a message for keyword matching: NFKC (folds full-width Latin and Arabic presentation
 * forms to ordinary letters), invisible direction and zero-width characters removed, Arabic
 * diacritics and tatweel (kashida) removed, alef variants (أ إ آ ٱ) folded to bare alef (ا),
 * surrounding whitespace trimmed, then case-folded. So `إيقاف`, `ايقاف`, `إيـــقاف` and `إِيقَاف`
 * all compare equal, as do `stop`, ` STOP ` and `ＳＴＯＰ`.
 */
export function normalizeKeywordText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLES, '')
    .replace(ARABIC_DIACRITICS, '')
    .replace(TATWEEL, '')
    .replace(ALEF_VARIANTS, '\u0627')
    .trim()
    .toLowerCase();
}

function buildSet(defaults: readonly string[], custom: readonly string[] | undefined, replace: boolean): Set<string> {
  const words = custom === undefined ? defaults : replace ? custom : [...defaults, ...custom];
  return new Set(words.map(normalizeKeywordText).filter((w) => w.length > 0));
}

/** A compiled keyword matcher; build one with {@link createKeywordClassifier} to reuse it. */
export type KeywordClassifier = (text: string | undefined | null) => InboundKeyword | undefined;

/**
 * Builds a keyword classifier from custom lists. Opt-out wins when a word is in several lists, so
 * a misconfiguration can never turn a STOP into a subscription.
 */
export function createKeywordClassifier(options: KeywordOptions = {}): KeywordClassifier {
  const replace = options.replace === true;
  const optOut = buildSet(DEFAULT_OPT_OUT_KEYWORDS, options.optOut, replace);
  const optIn = buildSet(DEFAULT_OPT_IN_KEYWORDS, options.optIn, replace);
  const help = buildSet(DEFAULT_HELP_KEYWORDS, options.help, replace);
  return (text) => {
    if (typeof text !== 'string') return undefined;
    const normalised = normalizeKeywordText(text);
    if (normalised.length === 0) return undefined;
    if (optOut.has(normalised)) return 'opt-out';
    if (optIn.has(normalised)) return 'opt-in';
    if (help.has(normalised)) return 'help';
    return undefined;
  };
}

const defaultClassifier = createKeywordClassifier();

/**
 * Classifies an inbound message (SMS, WhatsApp) as an opt-out, opt-in or help request when the whole message — after
 * {@link normalizeKeywordText} — equals a keyword. `STOP please` or `please stop` is not a keyword:
 * Twilio and US carriers match whole messages only, and so does this.
 */
export function classifyInboundKeyword(text: string | undefined | null, options?: KeywordOptions): InboundKeyword | undefined {
  return options === undefined ? defaultClassifier(text) : createKeywordClassifier(options)(text);
}
