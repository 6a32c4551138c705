/**
 * Whether `value` is a well-formed Saudi VAT registration number (ZATCA): 15 digits, the first and
 * the last `3`. Arabic-Indic digits and spaces are not accepted here: normalise first.
 */
export function isSaudiVatNumber(value: string): boolean {
  return /^3\d{13}3$/.test(value);
}
