import type { Options } from 'ajv';
import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019.js';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** An Ajv instance (draft-07, 2019-09 or 2020-12 flavour). */
export type AjvInstance = InstanceType<typeof Ajv> | InstanceType<typeof Ajv2019> | InstanceType<typeof Ajv2020>;

/**
 * Creates an Ajv instance for vendor descriptions: not strict (specs carry `example`,
 * `discriminator`, `x-*` and formats Ajv does not know, which are ignored rather than fatal),
 * every error reported, formats from ajv-formats checked.
 */
export function createAjv(flavour: 'draft-07' | '2019-09' | '2020-12', extra: Options = {}): AjvInstance {
  const options: Options = {
    strict: false,
    allErrors: true,
    validateSchema: false,
    logger: false,
    // Vendors' patterns are ECMAScript-compatible but not always valid under the `u` flag.
    unicodeRegExp: false,
    // Big, densely linked descriptions (Stripe, FHIR) compile ~2x faster this way; each
    // referenced schema becomes one shared function instead of being inlined and optimised.
    inlineRefs: false,
    code: { optimize: false },
    ...extra,
  };
  const ajv = flavour === '2020-12' ? new Ajv2020(options) : flavour === '2019-09' ? new Ajv2019(options) : new Ajv(options);
  addFormats(ajv as InstanceType<typeof Ajv>);
  return ajv;
}
