// The keyword lists and matcher moved to @hmi/core (consent/keywords.ts) so WhatsApp shares them;
// re-exported here so this package's public API is unchanged.
export {
  classifyInboundKeyword,
  createKeywordClassifier,
  DEFAULT_HELP_KEYWORDS,
  DEFAULT_OPT_IN_KEYWORDS,
  DEFAULT_OPT_OUT_KEYWORDS,
  type InboundKeyword,
  type KeywordClassifier,
  type KeywordOptions,
  normalizeKeywordText,
} from '@hmi/core';
