import { hmiTsup } from '../../tsup.base.js';

export default hmiTsup({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'internal/index': 'src/internal/index.ts' },
});
