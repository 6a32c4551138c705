// `node:crypto` loaded on first use, not at import (the core's loader): loading it costs several ms
// of CPU, paid by every cold start of a serverless function that imports the connector, even one
// that never verifies a webhook (issue 22).
export { nodeCrypto } from '@hmi/core/internal';

let decoder: TextDecoder | undefined;

/**
 * A strict UTF-8 decoder (invalid bytes throw), made on first use. Stateless: `decode` without
 * `stream` carries nothing from one call to the next, so one is shared.
 */
export const utf8 = (): TextDecoder => (decoder ??= new TextDecoder('utf-8', { fatal: true }));
