import { ApiError, ValidationError } from '@hmi/core';
import { CurrencyCode } from '@hmi/core/schemas';
import { z } from 'zod';
import type { OdooContext } from '../odoo-context.js';
import { type ExternalRef, externalIdName, findByExternalId } from './external-id.js';
import { RecordId } from './wire.js';

/** A partner named by its Odoo id or by the external id `upsertPartner` gave it. */
export const PartnerRef = z.union([RecordId, z.object({ system: z.string().min(1).max(32), id: z.string().min(1).max(200) })]);
/** A partner named by its Odoo id or by its external id. */
export type PartnerRef = z.infer<typeof PartnerRef>;

/** The `res.currency` id of an ISO code. */
export async function currencyId(
  ctx: OdooContext,
  code: string,
  operation: string,
  signal: AbortSignal | undefined,
): Promise<number> {
  const iso = CurrencyCode.parse(code);
  const rows = await ctx.rpc.call('res.currency', 'search_read', {
    params: { domain: [['name', '=', iso]], fields: ['id', 'name'], limit: 1 },
    schema: z.array(z.object({ id: RecordId })),
    operation,
    signal,
  });
  const id = rows[0]?.id;
  if (id === undefined) {
    throw new ValidationError(`currency ${iso} is not active in Odoo`, {
      connector: 'odoo',
      operation,
      issues: [{ path: ['currency'], code: 'not_found', message: 'no such active currency in Odoo' }],
    });
  }
  return id;
}

/** The `res.partner` id a {@link PartnerRef} names. */
export async function resolvePartner(
  ctx: OdooContext,
  ref: PartnerRef,
  operation: string,
  signal: AbortSignal | undefined,
): Promise<number> {
  if (typeof ref === 'number') return ref;
  const id = await findByExternalId(ctx, 'res.partner', partnerExternalName(ref), operation, signal);
  if (id === undefined) {
    throw new ApiError('Odoo has no partner for this external id: call upsertPartner first', {
      connector: 'odoo',
      operation,
      code: 'not_found',
      retryable: false,
    });
  }
  return id;
}

/** The `ir.model.data` name of a partner's external id: `<system>_<id>`. */
export function partnerExternalName(ref: ExternalRef): string {
  return externalIdName('', ref);
}

/** The `ir.model.data` name of a payment's external id: `payment_<system>_<id>`. */
export function paymentExternalName(ref: ExternalRef): string {
  return externalIdName('payment_', ref);
}

const ISO = /^[A-Z]{3}$/;

/**
 * ISO codes of currencies whose many2one display name is not one. Odoo names a currency by its
 * ISO code (`[1, 'SAR']`), but a customised `display_name` would otherwise leave the amounts
 * without a decimal count; those few ids are read from `res.currency` in one call.
 */
export async function isoCodes(
  ctx: OdooContext,
  values: ReadonlyArray<readonly [number, string] | false | undefined>,
  operation: string,
  signal: AbortSignal | undefined,
): Promise<Map<number, string>> {
  const unknown = [...new Set(values.flatMap((v) => (Array.isArray(v) && !ISO.test(v[1]) ? [v[0]] : [])))];
  if (unknown.length === 0) return new Map();
  const rows = await ctx.rpc.call('res.currency', 'search_read', {
    params: { domain: [['id', 'in', unknown]], fields: ['id', 'name'] },
    context: { active_test: false },
    schema: z.array(z.object({ id: RecordId, name: z.string() })),
    operation,
    signal,
  });
  return new Map(rows.filter((r) => ISO.test(r.name)).map((r) => [r.id, r.name]));
}
