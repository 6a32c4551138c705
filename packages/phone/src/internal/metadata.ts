import type { MetadataJson } from 'libphonenumber-js/core';
import source from 'libphonenumber-js/metadata.max.json';
import { withoutFormats } from './strip-formats.js';

/**
 * libphonenumber-js's complete ("max") metadata, the set the validation of every hmi package has
 * always used: strict digit patterns, not only lengths (the smaller `min` set accepts numbers the
 * `max` set refuses, e.g. some Kuwaiti mobiles of the shared corpus).
 *
 * The build (tsup.config.ts) inlines the metadata into dist as JSON text, so importing @hmi/phone
 * parses nothing: the ~150 KB are parsed on the first number, once per process (a parsed constant,
 * never written to, so sharing it between normalizers shares no state). From source (tests) the
 * import is already the object, libphonenumber-js's own: it is copied before its display formats
 * are dropped ({@link withoutFormats}), so the library's own `max` entry keeps them.
 */
let parsed: MetadataJson | undefined;

/** The metadata, parsed on first use. */
export function phoneMetadata(): MetadataJson {
  parsed ??= withoutFormats(
    typeof (source as unknown) === 'string' ? (JSON.parse(source as unknown as string) as MetadataJson) : structuredClone(source),
  ) as MetadataJson;
  return parsed;
}
