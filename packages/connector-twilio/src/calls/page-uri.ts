import { ValidationError } from '@hmi/core';
import type { TwilioContext } from '../twilio-context.js';

/**
 * A next-page link must stay on this account's `list` (e.g. `Calls.json`): a stored checkpoint is
 * input too, and a forged one must not send the account's credentials elsewhere.
 */
export function checkListUri(uri: string, ctx: TwilioContext, list: string): string {
  let path = uri;
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) {
    try {
      const url = new URL(uri);
      path = url.origin === new URL(ctx.http.baseUrl).origin ? url.pathname : '';
    } catch {
      path = '';
    }
  }
  if (!path.startsWith(`${ctx.accountPath}/${list}`) || path.includes('..')) {
    throw new ValidationError(`nextPageUri is not a page of this account’s ${list.replace('.json', '')} list`, {
      connector: ctx.connector,
      code: 'invalid_checkpoint',
      issues: [{ path: ['nextPageUri'], code: 'invalid_value', message: 'value not allowed' }],
    });
  }
  return uri;
}

/** Epoch ms of an ISO 8601 date-time in a checkpoint, or undefined. */
export function msOf(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}
