import { stream } from '@hmi/core';
import { forCall, type OdooContext } from '../odoo-context.js';
import { OdooCheckpoint, readIncremental } from '../sync/incremental.js';
import { INVOICE_FIELDS, OdooInvoice, WireMove } from './invoice-model.js';
import { CUSTOMER_MOVE_TYPES, withLines } from './invoice-read.js';

/**
 * Customer invoices and credit notes (`account.move`, `out_invoice`/`out_refund`), drafts
 * included, oldest change first, with lines, taxes, state and payment state. Incremental by
 * `write_date` with an id tie-break: save each page's checkpoint and pass it back to resume.
 */
export const invoices = stream({
  description: 'Customer invoices and credit notes (account.move) by write_date',
  record: OdooInvoice,
  checkpoint: OdooCheckpoint,
  read(scope: OdooContext, { checkpoint, signal }) {
    const ctx = forCall(scope, undefined);
    return readIncremental(
      ctx,
      {
        model: 'account.move',
        fields: INVOICE_FIELDS,
        domain: [['move_type', 'in', [...CUSTOMER_MOVE_TYPES]]],
        wire: WireMove,
        map: (moves, s) => withLines(ctx, moves, 'invoices', s),
        operation: 'invoices',
      },
      checkpoint,
      signal,
    );
  },
});
