export { type Hl7Separators, DEFAULT_SEPARATORS, encodingCharacters } from './separators.js';
export { type DecodeEscapesOptions, decodeEscapes, encodeEscapes } from './escape.js';
export { hl7CharsetLabel } from './charset.js';
export { type Hl7Path, parseHl7Path } from './path.js';
export { Hl7Message } from './message.js';
export { parseHl7 } from './parse.js';
export { Hl7Batch, iterateHl7Batch, parseHl7Batch } from './batch.js';
