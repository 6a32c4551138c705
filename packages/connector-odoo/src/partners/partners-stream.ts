import { stream } from '@hmi/core';
import { forCall, type OdooContext } from '../odoo-context.js';
import { odooLangToTag } from '../shared/wire.js';
import { OdooCheckpoint, readIncremental } from '../sync/incremental.js';
import { PARTNER_FIELDS, PartnerContact, toContact, WirePartner } from './partner-model.js';

/**
 * Partners (`res.partner`: patients, guarantors, insurers), archived ones included so a host sees
 * deactivations, oldest change first, incremental by `write_date` with an id tie-break.
 */
export const partners = stream({
  description: 'Partners (res.partner) as canonical Contacts, by write_date',
  record: PartnerContact,
  checkpoint: OdooCheckpoint,
  read(scope: OdooContext, { checkpoint, signal }) {
    const ctx = forCall(scope, undefined);
    const langTag = odooLangToTag(ctx.config.lang);
    return readIncremental(
      ctx,
      {
        model: 'res.partner',
        fields: PARTNER_FIELDS,
        domain: [],
        // Archived partners too, so hosts see deactivations.
        context: { active_test: false },
        wire: WirePartner,
        map: async (records) => records.map((r) => toContact(r, ctx.config.defaultPhoneRegion, langTag)),
        operation: 'partners',
      },
      checkpoint,
      signal,
    );
  },
});
