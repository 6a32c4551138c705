import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'node20',
    sourcemap: false,
    treeshake: true,
    // CONFIG_SCHEMA_PATH uses import.meta.url; the shim gives the CJS build the same path.
    shims: true,
  },
  {
    entry: ['src/bin.ts'],
    format: ['esm'],
    target: 'node20',
    sourcemap: false,
  },
]);
