import { ApiError, AuthError, type HmiError, isHmiError, ValidationError } from '@hmi/core';
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

/**
 * Whether an `ir.model.data` failure means "external ids are not available to this user" (a bot
 * user without rights on it, or a server without the model) rather than a real fault. The partner
 * `ref` (and the payment memo) still make the writes idempotent then.
 */
function unavailable(error: unknown): boolean {
  return (
    (AuthError.isInstance(error) && error.code === 'forbidden') ||
    (ApiError.isInstance(error) && error.code === 'not_found') ||
    (ValidationError.isInstance(error) && error.code !== 'invalid_response')
  );
}

function reportUnavailable(ctx: OdooContext, model: string, operation: string, error: HmiError): void {
  ctx.telemetry.emit('odoo:external-ids-unavailable', { connector: 'odoo', model, operation, errorCode: error.code });
}

/** The record an external id (`module.name`) points to, if any. */
export async function findByExternalId(
  ctx: OdooContext,
  model: string,
  name: string,
  operation: string,
  signal: AbortSignal | undefined,
): Promise<number | undefined> {
  let rows: Array<z.infer<typeof XmlRow>>;
  try {
    rows = await ctx.rpc.call('ir.model.data', 'search_read', {
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
  } catch (error) {
    if (!isHmiError(error) || !unavailable(error)) throw error;
    reportUnavailable(ctx, model, operation, error);
    return undefined;
  }
  const resId = rows[0]?.res_id;
  return resId !== undefined && resId > 0 ? resId : undefined;
}

/**
 * Records `module.name` → `model,resId` in `ir.model.data`. Odoo keeps `(module, name)` unique,
 * so a second writer is refused; a read-back then finds the link already there. A user without
 * rights on `ir.model.data` gets no link (reported as `odoo:external-ids-unavailable`).
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
    if (!isHmiError(error)) throw error;
    const linked = await findByExternalId(ctx, model, name, operation, signal);
    if (linked === resId) return;
    if (linked !== undefined) {
      throw new ApiError('Odoo: this external id already points to another record', {
        connector: 'odoo',
        operation,
        code: 'conflict',
        retryable: false,
      });
    }
    if (unavailable(error)) {
      reportUnavailable(ctx, model, operation, error);
      return;
    }
    throw error;
  }
}

/** The id `create` returned: Odoo 17+ answers a list for `vals_list`, older servers may answer one id. */
export const CreatedIds = z.union([z.array(RecordId).min(1), RecordId]).transform((v) => (Array.isArray(v) ? v : [v]));
