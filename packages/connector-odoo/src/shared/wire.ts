// Wire shapes of the Odoo fields the connector reads. Odoo sends `false` for an empty char, date or
// many2one field, and `[id, display_name]` for a set many2one. Unknown fields are ignored.
import { z } from 'zod';
import { ODOO_DATETIME } from './dates.js';

/**
 * A many2one value: `[id, display name]`, or `false` when empty. A bare id (what `read` answers
 * with `load: null`) is tolerated as `[id, '']`.
 */
export const Many2one = z.union([
  z.tuple([z.number().int(), z.string()]),
  z.literal(false),
  z
    .number()
    .int()
    .positive()
    .transform((id): [number, string] => [id, '']),
]);
/** A char/text/selection field that may be empty (`false`). */
export const OptionalText = z.union([z.string(), z.literal(false)]).optional();
/** A secondary monetary field: a float, or `false`/absent when the server does not send it. */
export const OptionalAmount = z.union([z.number(), z.literal(false)]).optional();
/** A record id. */
export const RecordId = z.number().int().positive();
/** `write_date`: the ORM's last-write timestamp (UTC, seconds). */
export const WriteDate = z.string().regex(ODOO_DATETIME, 'expected an Odoo datetime');

/** The text of an optional field, or undefined. */
export function text(value: string | false | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The id of a many2one, or undefined. */
export function m2oId(value: z.infer<typeof Many2one> | undefined): number | undefined {
  return Array.isArray(value) ? value[0] : undefined;
}

/** The display name of a many2one, or undefined. */
export function m2oName(value: z.infer<typeof Many2one> | undefined): string | undefined {
  return Array.isArray(value) ? value[1] : undefined;
}

/** `ar_001` / `en_US` → BCP 47 `ar` / `en-US`. */
export function odooLangToTag(lang: string | undefined): string | undefined {
  if (!lang) return undefined;
  const [language, region] = lang.split('_');
  if (!language) return undefined;
  return region && /^[A-Z]{2}$/.test(region) ? `${language}-${region}` : language;
}
