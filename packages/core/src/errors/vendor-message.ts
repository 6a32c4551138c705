/**
 * A message shape a vendor is known to send, written as literal text with `{name}` placeholders
 * where the vendor puts a value: `'The To number {to} is not a valid phone number.'`. A
 * placeholder matches one or more characters of anything; its value is never kept.
 */
export type VendorMessageTemplate = string;

/** Options of {@link safeVendorMessage}. */
export interface SafeVendorMessageOptions {
  /** What a placeholder becomes in the kept message. Default `…`. */
  placeholder?: string;
}

/** Longer messages are not matched at all: no known message is that long. */
const MAX_MESSAGE = 500;
const PLACEHOLDER = /\{[A-Za-z0-9_]*\}/g;

/** Case, runs of white space and one final full stop do not make two messages different. */
function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim().replace(/\.$/, '');
}

/**
 * Whether `text` is `literals[0]`, then something, `literals[1]`, …, then `literals[n]`. Each
 * middle literal is taken at its leftmost place (which leaves the most room for the rest, so it
 * finds a match when there is one), so the time is linear in the text for each literal: no regex
 * backtracking on hostile input.
 */
function matches(text: string, literals: readonly string[]): boolean {
  const first = literals[0] ?? '';
  const last = literals[literals.length - 1] ?? '';
  if (literals.length === 1) return text === first;
  if (!text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < literals.length - 1; i++) {
    const literal = literals[i] ?? '';
    // A placeholder holds at least one character.
    const found = text.indexOf(literal, at + 1);
    if (found < 0 || found + literal.length > end) return false;
    at = found + literal.length;
  }
  return at + 1 <= end;
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
    if (matches(normalise(text), normalise(template).split(PLACEHOLDER))) return template.replace(PLACEHOLDER, placeholder);
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
