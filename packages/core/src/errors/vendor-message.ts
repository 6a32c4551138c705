/**
 * A message shape a vendor is known to send, written as literal text with `{name}` placeholders
 * where the vendor puts a value: `'The To number {to} is not a valid phone number.'`. A
 * placeholder matches 1–200 characters of anything; its value is never kept.
 */
export type VendorMessageTemplate = string;

/** Options of {@link safeVendorMessage}. */
export interface SafeVendorMessageOptions {
  /** What a placeholder becomes in the kept message. Default `…`. */
  placeholder?: string;
}

/** Longer messages are not matched at all: it bounds the matching time and no template is that long. */
const MAX_MESSAGE = 500;
const PLACEHOLDER = /\{[A-Za-z0-9_]*\}/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function compile(template: string): RegExp {
  const literals = template.split(PLACEHOLDER).map((part) => escapeRegExp(part).replace(/\s+/g, '\\s+'));
  return new RegExp(`^\\s*${literals.join('[^]{1,200}?')}\\s*\\.?\\s*$`, 'i');
}

/**
 * Keeps a vendor's free-text error message only in a form that cannot carry values: when `text`
 * matches one of `templates` as a whole, the result is built from the *template* (its placeholders
 * replaced by `…`), never from the vendor's text; otherwise the result is `undefined` and the
 * caller keeps only what is structured (the vendor's error code and field path).
 *
 * Vendors quote what they were sent (`Recipient Zarqa Canarya +966555123456 is on a suppression
 * list`); no scrubber recognises every name, MRN or address, so an allow-list is the only rule
 * that holds. Use it in a connector's error classifier:
 *
 * @example
 * ```ts
 * import { ApiError, safeVendorMessage } from '@hmi/core';
 *
 * const KNOWN = ['Recipient {email} is on a suppression list', 'The from address does not match a verified Sender Identity'];
 * const vendorText = 'Recipient Zarqa Canarya +966555123456 is on a suppression list';
 * const error = new ApiError(safeVendorMessage(vendorText, KNOWN) ?? 'SendGrid refused the message (400)', { status: 400 });
 * console.log(error.message); // Recipient … is on a suppression list
 * ```
 */
export function safeVendorMessage(
  text: unknown,
  templates: readonly VendorMessageTemplate[],
  options: SafeVendorMessageOptions = {},
): string | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_MESSAGE) return undefined;
  const placeholder = options.placeholder ?? '…';
  for (const template of templates) {
    if (typeof template !== 'string' || template.length === 0) continue;
    if (compile(template).test(text)) return template.replace(PLACEHOLDER, placeholder);
  }
  return undefined;
}

/**
 * Messages of errors thrown by the runtime and common libraries (fetch, sockets, aborts) that hold
 * no data of the request. A foreign error's message survives as the cause of an HmiError only when
 * it matches one of these (see `sanitizeCause`).
 */
export const RUNTIME_MESSAGE_TEMPLATES: readonly VendorMessageTemplate[] = Object.freeze([
  'fetch failed',
  'terminated',
  'other side closed',
  'socket hang up',
  'This operation was aborted',
  'The operation was aborted',
  'The operation was aborted due to timeout',
  'The user aborted a request',
  'Request timed out',
  'Headers Timeout Error',
  'Body Timeout Error',
  'Connect Timeout Error',
  'read ECONNRESET',
  'write EPIPE',
  'connect ECONNREFUSED {address}',
  'connect ETIMEDOUT {address}',
  'getaddrinfo ENOTFOUND {host}',
  'getaddrinfo EAI_AGAIN {host}',
  'Unexpected end of JSON input',
  'Unexpected token {token} in JSON at position {position}',
  'consent check answered neither a boolean nor { allowed }',
]);

/** A `code` property worth keeping: an identifier such as `ECONNREFUSED`, never a long number. */
export function isSafeErrorCode(code: unknown): code is string {
  return typeof code === 'string' && /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(code) && !/\d{5,}/.test(code);
}

/** An error `name` worth keeping: an identifier such as `TypeError`, else `Error`. */
export function safeErrorName(name: unknown): string {
  return typeof name === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/.test(name) && !/\d{5,}/.test(name) ? name : 'Error';
}
