import type { MetadataJson } from 'libphonenumber-js/core';
import source from 'libphonenumber-js/metadata.max.json';

/**
 * libphonenumber-js's complete ("max") metadata, the set the validation of every hmi package has
 * always used: strict digit patterns, not only lengths (the smaller `min` set accepts numbers the
 * `max` set refuses, e.g. some Kuwaiti mobiles of the shared corpus).
 *
 * The build (tsup.config.ts) inlines the metadata into dist as JSON text, so importing @hmi/phone
 * parses nothing: the ~150 KB are parsed on the first number, once per process (a parsed constant,
 * never written to, so sharing it between normalizers shares no state). From source (tests) the
 * import is already the object.
 */
let parsed: MetadataJson | undefined;

/** The metadata, parsed on first use. */
export function phoneMetadata(): MetadataJson {
  parsed ??= typeof (source as unknown) === 'string' ? (JSON.parse(source as unknown as string) as MetadataJson) : source;
  return parsed;
}
