import { hmiTsup } from '../../tsup.base.js';

export default hmiTsup(
  {
    entry: ['src/index.ts'],
    // CONFIG_SCHEMA_PATH uses import.meta.url; the shim gives the CJS build the same path.
    shims: true,
  },
  { entry: ['src/bin.ts'], format: ['esm'], dts: false },
);
