import { hmiTsup } from '../../tsup.base.js';

export default hmiTsup({ entry: ['src/index.ts', 'src/msw/index.ts'] });
