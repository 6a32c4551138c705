import { HmiError } from '../errors/hmi-error.js';

/** The default cap on a response body, counted after decompression: 16 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** The error code of a response body larger than `maxResponseBytes`. */
export const RESPONSE_TOO_LARGE = 'response_too_large';

/**
 * The error for a body that passed the cap. Not retryable: the same request would bring the same
 * body. Raised while the body streams in, so at most the cap (plus one chunk) is ever held.
 */
export function responseTooLarge(limit: number, status: number): HmiError {
  return new HmiError(`response body is larger than maxResponseBytes (${limit} bytes, counted after decompression)`, {
    code: RESPONSE_TOO_LARGE,
    status,
    retryable: false,
  });
}
