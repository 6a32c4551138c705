import { z } from 'zod';
import type { OdooContext } from '../odoo-context.js';
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
  const lines = await ctx.rpc.call('account.move.line', 'search_read', {
    params: {
      domain: [['move_id', 'in', moves.map((m) => m.id)]],
      fields: [...LINE_FIELDS],
      order: 'id asc',
    },
    schema: z.array(WireMoveLine),
    operation,
    signal,
  });
  const byMove = new Map<number, WireMoveLine[]>();
  for (const line of lines) {
    const moveId = Array.isArray(line.move_id) ? line.move_id[0] : undefined;
    if (moveId === undefined) continue;
    byMove.set(moveId, [...(byMove.get(moveId) ?? []), line]);
  }
  return moves.map((move) => toOdooInvoice(move, byMove.get(move.id) ?? []));
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
