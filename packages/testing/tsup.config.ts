import { hmiTsup } from '../../tsup.base.js';

export default hmiTsup({
  entry: ['src/index.ts', 'src/vitest.ts'],
  // Peers stay external: one copy of msw must intercept, and vitest must be the runner's own.
  external: ['msw', 'msw/node', 'vitest', 'zod', '@hmi/core'],
});
