import { type CallHangupCause, q850Cause } from '@hmi/core';

/**
 * The Q.850 cause for an ARI `cause` / `cause_txt` pair. The table is the core's `q850Cause`, so
 * Asterisk and Twilio Voice name causes alike.
 */
export function q850(code: number, text?: string): CallHangupCause {
  return q850Cause(code, text);
}
