/**
 * A vendor request id is kept (on errors, responses, telemetry, dead letters) only when it is a
 * short token of safe characters. A hostile or buggy server can put anything in `x-request-id`:
 * the Authorization header it received, a patient's phone number. Internal to the core.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Only digits (and separators) with at least 7 digits: a phone number or an MRN, not an id. */
const NUMBER_LIKE = /^[\d.:-]*$/;

/**
 * The request id if it is safe to keep, else undefined. `isSecret` tells whether the value holds a
 * secret the client knows (a token, an API key echoed back).
 */
export function safeRequestId(value: string | null | undefined, isSecret?: (value: string) => boolean): string | undefined {
  if (!value) return undefined;
  const id = value.trim();
  if (!SAFE_REQUEST_ID.test(id)) return undefined;
  if (NUMBER_LIKE.test(id) && id.replace(/\D/g, '').length >= 7) return undefined;
  if (isSecret?.(id)) return undefined;
  return id;
}
