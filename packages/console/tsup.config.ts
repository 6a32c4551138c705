import { hmiTsup } from '../../tsup.base.js';

// The handler finds the built app next to itself through import.meta.url, in the CJS build too.
export default hmiTsup({ entry: { index: 'src/index.ts' }, shims: true });
