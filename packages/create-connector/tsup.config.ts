import { hmiTsup } from '../../tsup.base.js';

// import.meta.url in the CommonJS build (shims): the template is found beside dist/ either way.
export default hmiTsup({ entry: ['src/index.ts', 'src/bin.ts'], dts: { entry: 'src/index.ts' }, shims: true });
