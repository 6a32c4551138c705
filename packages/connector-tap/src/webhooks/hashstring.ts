import { hmac, timingSafeEqualString } from '@hmi/core';
import { formatTapAmount } from '../shared/amounts.js';

/** The header Tap signs webhooks in. */
export const TAP_HASHSTRING_HEADER = 'hashstring';

/** The fields of a posted charge (or authorization) that Tap's `hashstring` covers. */
export interface TapHashFields {
  id: string;
  amount: number | string;
  currency: string;
  reference?: { gateway?: string | null; payment?: string | null } | null;
  status: string;
  transaction: { created: string | number };
}

/**
 * The string Tap hashes for a charge webhook (developers.tap.company/docs/webhook):
 * `x_id{id}x_amount{amount}x_currency{currency}x_gateway_reference{reference.gateway}`
 * `x_payment_reference{reference.payment}x_status{status}x_created{transaction.created}`, with the
 * amount written with exactly the currency's decimals (`1.500` KWD, `150.50` SAR).
 */
export function tapHashInput(fields: TapHashFields): string {
  return (
    `x_id${fields.id}` +
    `x_amount${formatTapAmount(fields.amount, fields.currency)}` +
    `x_currency${fields.currency}` +
    `x_gateway_reference${fields.reference?.gateway ?? ''}` +
    `x_payment_reference${fields.reference?.payment ?? ''}` +
    `x_status${fields.status}` +
    `x_created${fields.transaction.created}`
  );
}

/** The `hashstring` Tap sends for `fields`: hex HMAC-SHA256 of {@link tapHashInput} keyed with the secret API key. */
export function computeTapHashstring(fields: TapHashFields, secretKey: string): string {
  return hmac('sha256', secretKey, tapHashInput(fields));
}

/**
 * Whether `header` is the `hashstring` of the posted charge, compared in constant time (hex, case
 * ignored). Never throws: a malformed body, an amount with more decimals than its currency or a
 * missing header is simply not valid.
 */
export function verifyTapHashstring(fields: unknown, header: string | null | undefined, secretKey: string): boolean {
  if (typeof header !== 'string' || !/^[0-9a-fA-F]{64}$/.test(header) || !secretKey) return false;
  try {
    const f = fields as TapHashFields;
    if (typeof f?.id !== 'string' || typeof f.currency !== 'string' || typeof f.status !== 'string') return false;
    if (f.transaction === null || typeof f.transaction !== 'object') return false;
    if (!['string', 'number'].includes(typeof f.transaction.created)) return false;
    if (!['string', 'number'].includes(typeof f.amount)) return false;
    return timingSafeEqualString(header.toLowerCase(), computeTapHashstring(f, secretKey));
  } catch {
    return false;
  }
}
