import { action, isHmiError, ValidationError } from '@hmi/core';
import { Contact } from '@hmi/core/schemas';
import { z } from 'zod';
import { forCall, type OdooContext } from '../odoo-context.js';
import { CreatedIds, ExternalRef, findByExternalId, linkExternalId } from '../shared/external-id.js';
import { partnerExternalName } from '../shared/lookups.js';
import { isSaudiVatNumber } from '../shared/vat.js';
import { RecordId } from '../shared/wire.js';

/** Input of `upsertPartner`. */
export const UpsertPartnerInput = z
  .object({
    contact: Contact,
    /**
     * The contact's id in your system (`{ system: 'crm', id: 'c-17' }`); default `contact.source`.
     * Stored as the external id `<module>.<system>_<id>` and as the partner's `ref` (`system:id`).
     */
    externalId: ExternalRef.optional(),
    /** Tax id. A Saudi one (`countryCode: 'SA'`) must be 15 digits starting and ending with 3. */
    vat: z.string().trim().min(1).max(32).optional(),
    /** ISO 3166 alpha-2 of the partner's country; checks `vat` for SA. */
    countryCode: z.string().length(2).toUpperCase().optional(),
    /** A company (insurer, employer) rather than a person. */
    isCompany: z.boolean().default(false),
  })
  .superRefine((input, ctx) => {
    if (!input.externalId && !input.contact.source) {
      ctx.addIssue({
        code: 'custom',
        path: ['externalId'],
        message: 'give externalId or contact.source: it is the idempotency key',
      });
    }
    const name = input.contact.names.find((n) => n.text || n.given || n.family);
    if (!name) ctx.addIssue({ code: 'custom', path: ['contact', 'names'], message: 'a partner needs a name' });
    if (input.vat && (input.countryCode === 'SA' || /^3\d+$/.test(input.vat)) && !isSaudiVatNumber(input.vat)) {
      ctx.addIssue({ code: 'custom', path: ['vat'], message: 'a Saudi VAT number has 15 digits, starting and ending with 3' });
    }
  });

/** What `upsertPartner` returns. */
export const UpsertPartnerResult = z.object({
  partnerId: RecordId,
  /** True when this call created the partner. */
  created: z.boolean(),
  /** The external id, `module.name`. */
  externalId: z.string(),
});

const LANGS: Record<string, string> = { ar: 'ar_001', en: 'en_US', fr: 'fr_FR', ur: 'ur_PK' };

/** The partner values a Contact gives. Only fields the Contact has are written: the rest stay. */
function partnerValues(input: z.output<typeof UpsertPartnerInput>, ref: string): Record<string, unknown> {
  const { contact } = input;
  const name = contact.names.find((n) => n.text) ?? contact.names[0];
  const fullName = name?.text ?? [...(name?.given ?? []), name?.family].filter(Boolean).join(' ');
  const address = contact.addresses[0];
  const lang = contact.languages.map((l) => LANGS[l.slice(0, 2).toLowerCase()]).find(Boolean);
  return {
    name: fullName,
    ref,
    is_company: input.isCompany,
    ...(contact.phones[0] && { phone: contact.phones[0].value }),
    ...(contact.emails[0] && { email: contact.emails[0].value }),
    ...(input.vat && { vat: input.vat }),
    ...(lang && { lang }),
    ...(address?.line?.[0] && { street: address.line[0] }),
    ...(address?.line?.[1] && { street2: address.line[1] }),
    ...(address?.city && { city: address.city }),
    ...(address?.postalCode && { zip: address.postalCode }),
  };
}

/**
 * Creates or updates the partner for a contact, idempotent by its external id: it looks for the
 * `ir.model.data` record `<module>.<system>_<id>`, then for a partner whose `ref` is `system:id`
 * (archived ones too), and writes to what it finds; otherwise it creates the partner and links
 * the external id. Calling it twice gives one partner. A create whose outcome is unknown is read
 * back by `ref`, never repeated blindly.
 */
export const upsertPartner = action({
  description: 'Create or update an Odoo partner from a Contact, idempotent by external id',
  idempotent: true,
  input: UpsertPartnerInput,
  output: UpsertPartnerResult,
  async run(input, scope: OdooContext, call) {
    const ctx = forCall(scope, call.idempotencyKey);
    const op = call.operation;
    const source = input.externalId ?? input.contact.source;
    if (!source) throw new ValidationError('upsertPartner needs an external id', { issues: [] });
    const external = ExternalRef.parse(source);
    const name = partnerExternalName(external);
    const ref = `${external.system}:${external.id}`;
    const values = partnerValues(input, ref);
    const byRef = async () => {
      const rows = await ctx.rpc.call('res.partner', 'search_read', {
        params: { domain: [['ref', '=', ref]], fields: ['id'], order: 'id asc', limit: 1 },
        // Archived partners too: Odoo's own switch for that, rather than a domain on `active`.
        context: { active_test: false },
        schema: z.array(z.object({ id: RecordId })),
        operation: op,
        signal: call.signal,
      });
      return rows[0]?.id;
    };

    let partnerId = (await findByExternalId(ctx, 'res.partner', name, op, call.signal)) ?? (await byRef());
    let created = false;
    if (partnerId !== undefined) {
      // Writing the same values twice is harmless, so the core may repeat this call.
      await ctx.rpc.call('res.partner', 'write', {
        ids: [partnerId],
        params: { vals: values },
        schema: z.unknown(),
        operation: op,
        signal: call.signal,
      });
    } else {
      try {
        const ids = await ctx.rpc.call('res.partner', 'create', {
          params: { vals_list: [values] },
          schema: CreatedIds,
          operation: op,
          signal: call.signal,
          write: true,
        });
        partnerId = ids[0]!;
      } catch (error) {
        if (!isHmiError(error) || !error.outcomeUnknown) throw error;
        partnerId = await byRef();
        if (partnerId === undefined) throw error;
      }
      created = true;
    }
    await linkExternalId(ctx, 'res.partner', name, partnerId, op, call.signal);
    return { partnerId, created, externalId: `${ctx.config.externalIdModule}.${name}` };
  },
});
