/**
 * Odoo's datetime on the wire: UTC `YYYY-MM-DD HH:MM:SS`, no zone designator. Tolerated too:
 * fractional seconds and the ISO `T`/`Z` spelling some proxies and gateways rewrite it to.
 */
export const ODOO_DATETIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z?$/;

/** `2025-03-01 09:15:00` (UTC, as Odoo writes it) → `2025-03-01T09:15:00Z`. */
export function odooDatetimeToIso(value: string): string {
  return `${value.replace(' ', 'T').replace(/Z$/, '')}Z`;
}

/** `2025-03-01` (an Odoo date) → `2025-03-01T00:00:00Z`; other shapes are left to the caller. */
export function odooDateToIso(value: string): string {
  return `${value}T00:00:00Z`;
}

/** A Date → Odoo's `YYYY-MM-DD`. */
export function toOdooDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
