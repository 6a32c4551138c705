import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  target: 'node20',
  sourcemap: false,
  treeshake: true,
  // import.meta.url in the CommonJS build: the template is found beside dist/ either way.
  shims: true,
});
