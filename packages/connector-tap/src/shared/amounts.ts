import { fromMinorUnits, toMinorUnits } from '@hmi/core';

// Tap takes and returns decimal major-unit amounts (`0.125` KWD, `150.5` SAR). hmi keeps integer
// minor units everywhere; the conversion goes through decimal strings, never float arithmetic, so
// three-decimal currencies (KWD, BHD, OMR) stay exact both ways.

/** Minor units → the number Tap expects: 125 KWD → 0.125, 15050 SAR → 150.5. */
export function toTapAmount(amountMinor: number, currency: string): number {
  return Number(fromMinorUnits(amountMinor, currency));
}

/** Tap's amount → minor units: 0.125 KWD → 125, 150.5 SAR → 15050. Refuses more decimals than the currency has. */
export function fromTapAmount(amount: number | string, currency: string): number {
  return toMinorUnits(amount, currency);
}

/** Tap's amount written with exactly the currency's decimals, as in the webhook hashstring: 1.5 KWD → "1.500". */
export function formatTapAmount(amount: number | string, currency: string): string {
  return fromMinorUnits(toMinorUnits(amount, currency), currency);
}
