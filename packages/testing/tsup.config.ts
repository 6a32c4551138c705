import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/vitest.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  sourcemap: false,
  treeshake: true,
  // Peers stay external: one copy of msw must intercept, and vitest must be the runner's own.
  external: ['msw', 'msw/node', 'vitest', 'zod', '@hmi/core'],
});
