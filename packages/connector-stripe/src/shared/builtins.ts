import type * as Crypto from 'node:crypto';

// `node:crypto` loaded on first use, not at import: loading it costs several ms of CPU, paid by every
// cold start of a serverless function that imports the connector, even one that never verifies a
// webhook (issue 22). `process.getBuiltinModule` (Node ≥ 20.16) returns the module a static import
// would; it is kept after the first call.
let crypto: typeof Crypto | undefined;

/** `node:crypto`, loaded on first use. */
export const nodeCrypto = (): typeof Crypto => (crypto ??= process.getBuiltinModule('node:crypto'));

let decoder: TextDecoder | undefined;

/**
 * A strict UTF-8 decoder (invalid bytes throw), made on first use. Stateless: `decode` without
 * `stream` carries nothing from one call to the next, so one is shared.
 */
export const utf8 = (): TextDecoder => (decoder ??= new TextDecoder('utf-8', { fatal: true }));
