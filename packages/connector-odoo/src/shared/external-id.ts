import { ApiError, isHmiError, ValidationError } from '@hmi/core';
import { z } from 'zod';
import type { OdooContext } from '../odoo-context.js';
import { RecordId } from './wire.js';

/** A record's id in another system: `{ system: 'stripe', id: 'pi_3N…' }`. */
export const ExternalRef = z.object({
  system: z
    .string()
    .min(1)
    .max(32)
    .regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case system name such as stripe'),
  id: z.string().min(1).max(200),
});
/** A record's id in another system. */
export type ExternalRef = z.infer<typeof ExternalRef>;

/**
 * The `ir.model.data` name for a foreign record: `<prefix><system>_<id>`, with every character
 * outside `[A-Za-z0-9_-]` written as `.HH` hex so two different ids never share a name.
 */
export function externalIdName(prefix: string, ref: ExternalRef): string {
  const safe = (s: string) =>
    Array.from(new TextEncoder().encode(s), (byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9-]/.test(c) ? c : `_${byte.toString(16).padStart(2, '0')}`;
    }).join('');
  return `${prefix}${safe(ref.system)}_${safe(ref.id)}`;
}

const XmlRow = z.object({ id: RecordId, res_id: z.number().int() });

/** The record an external id (`module.name`) points to, if any. */
export async function findByExternalId(
  ctx: OdooContext,
  model: string,
  name: string,
  operation: string,
  signal: AbortSignal | undefined,
): Promise<number | undefined> {
  const rows = await ctx.rpc.call('ir.model.data', 'search_read', {
    params: {
      domain: [
        ['module', '=', ctx.config.externalIdModule],
        ['name', '=', name],
        ['model', '=', model],
      ],
      fields: ['id', 'res_id'],
      limit: 1,
    },
    schema: z.array(XmlRow),
    operation,
    signal,
  });
  const resId = rows[0]?.res_id;
  return resId !== undefined && resId > 0 ? resId : undefined;
}

/**
 * Records `module.name` → `model,resId` in `ir.model.data`. Odoo keeps `(module, name)` unique,
 * so a second writer is refused; a read-back then finds the link already there.
 */
export async function linkExternalId(
  ctx: OdooContext,
  model: string,
  name: string,
  resId: number,
  operation: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    await ctx.rpc.call('ir.model.data', 'create', {
      params: { vals_list: [{ module: ctx.config.externalIdModule, name, model, res_id: resId, noupdate: true }] },
      schema: z.unknown(),
      operation,
      signal,
      write: true,
    });
  } catch (error) {
    // A unique violation (Odoo reports it as a ValidationError or an IntegrityError) or an unknown
    // outcome: read back, and if the link is there, it is done.
    if (!isHmiError(error) || !(error.outcomeUnknown || ValidationError.isInstance(error) || ApiError.isInstance(error)))
      throw error;
    if ((await findByExternalId(ctx, model, name, operation, signal)) === resId) return;
    throw error;
  }
}

/** The id `create` returned: Odoo 17+ answers a list for `vals_list`, older servers may answer one id. */
export const CreatedIds = z.union([z.array(RecordId).min(1), RecordId]).transform((v) => (Array.isArray(v) ? v : [v]));
