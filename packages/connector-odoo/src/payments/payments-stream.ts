import { stream } from '@hmi/core';
import { forCall, type OdooContext } from '../odoo-context.js';
import { isoCodes } from '../shared/lookups.js';
import { OdooCheckpoint, readIncremental } from '../sync/incremental.js';
import { OdooPayment, PAYMENT_FIELDS, toOdooPayment, WirePayment } from './payment-model.js';

/**
 * Customer payments (`account.payment` with `partner_type = customer`), oldest change first,
 * incremental by `write_date` with an id tie-break.
 */
export const payments = stream({
  description: 'Customer payments (account.payment) by write_date',
  record: OdooPayment,
  checkpoint: OdooCheckpoint,
  read(scope: OdooContext, { checkpoint, signal }) {
    const ctx = forCall(scope, undefined);
    return readIncremental(
      ctx,
      {
        model: 'account.payment',
        fields: PAYMENT_FIELDS,
        domain: [['partner_type', '=', 'customer']],
        wire: WirePayment,
        map: async (records, s) => {
          const codes = await isoCodes(
            ctx,
            records.map((r) => r.currency_id),
            'payments',
            s,
          );
          return records.map((r) => toOdooPayment(r, codes));
        },
        operation: 'payments',
      },
      checkpoint,
      signal,
    );
  },
});
