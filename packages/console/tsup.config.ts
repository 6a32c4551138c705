import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  sourcemap: false,
  treeshake: true,
  // The handler finds the built app next to itself through import.meta.url, in the CJS build too.
  shims: true,
});
