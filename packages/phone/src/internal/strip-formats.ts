/** The part of libphonenumber-js's metadata (v4) this touches: numbering plans as arrays. */
interface PlansJson {
  countries: Record<string, unknown[]>;
  nonGeographic?: Record<string, unknown[]>;
}

/**
 * Drops the numbering plans' display formats (index 4 of each plan in metadata v4, read back as
 * "no formats"): only formatting and as-you-type read them, and this package parses and validates
 * (E.164 out). It takes the metadata from ~39 to ~30 KiB gzipped in every bundle that validates
 * numbers. The build applies it to the text it inlines and `phoneMetadata()` to what it loads, so
 * tests run what ships; test/differential.test.ts checks the answers equal libphonenumber-js/max's.
 * Changes `metadata` in place and returns it.
 */
export function withoutFormats<T extends PlansJson>(metadata: T): T {
  for (const plan of [...Object.values(metadata.countries), ...Object.values(metadata.nonGeographic ?? {})]) plan[4] = 0;
  return metadata;
}
