import { hmiTsup } from '../../tsup.base.js';

export default hmiTsup({
  entry: { index: 'src/index.ts', 'msw/index': 'src/msw/index.ts' },
  external: ['msw', '@hmi/core'],
});
