import { z } from 'zod';
import type { OdooContext } from '../odoo-context.js';
import { isoCodes } from '../shared/lookups.js';
import { INVOICE_FIELDS, LINE_FIELDS, type OdooInvoice, toOdooInvoice, WireMove, WireMoveLine } from './invoice-model.js';

/** The customer documents the connector reads: invoices and credit notes. */
export const CUSTOMER_MOVE_TYPES = ['out_invoice', 'out_refund'] as const;

/** Reads the product lines of `moves` in one call and maps each move with its lines. */
export async function withLines(
  ctx: OdooContext,
  moves: WireMove[],
  operation: string,
  signal: AbortSignal | undefined,
): Promise<OdooInvoice[]> {
  if (moves.length === 0) return [];
  // Lines are read by the ids each move lists (no call when none does), and grouped by that list.
  const lineIds = moves.flatMap((m) => m.invoice_line_ids || []);
  const lines =
    lineIds.length === 0
      ? []
      : await ctx.rpc.call('account.move.line', 'search_read', {
          params: { domain: [['id', 'in', lineIds]], fields: [...LINE_FIELDS], order: 'id asc' },
          schema: z.array(WireMoveLine),
          operation,
          signal,
        });
  const byId = new Map(lines.map((line) => [line.id, line]));
  const codes = await isoCodes(
    ctx,
    moves.map((m) => m.currency_id),
    operation,
    signal,
  );
  return moves.map((move) =>
    toOdooInvoice(
      move,
      (move.invoice_line_ids || []).flatMap((id) => byId.get(id) ?? []),
      codes,
    ),
  );
}

/** Finds customer invoices by a domain and maps them with their lines. */
export async function findInvoices(
  ctx: OdooContext,
  domain: unknown[],
  operation: string,
  signal: AbortSignal | undefined,
  limit?: number,
): Promise<OdooInvoice[]> {
  const moves = await ctx.rpc.call('account.move', 'search_read', {
    params: {
      domain: [['move_type', 'in', [...CUSTOMER_MOVE_TYPES]], ...domain],
      fields: ['id', 'write_date', ...INVOICE_FIELDS],
      order: 'id asc',
      ...(limit !== undefined && { limit }),
    },
    schema: z.array(WireMove),
    operation,
    signal,
  });
  return withLines(ctx, moves, operation, signal);
}
