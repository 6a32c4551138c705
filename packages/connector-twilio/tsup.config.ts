import { hmiTsup, VALIBOT_NOTICE } from '../../tsup.base.js';

export default hmiTsup({
  entry: { index: 'src/index.ts', 'msw/index': 'src/msw/index.ts' },
  external: ['msw'],
  // valibot's runtime is bundled, tree-shaken to the ~13 KiB the schemas use: Node loads a
  // dependency's whole module (~200 KiB, ~15 ms of a cold start) where a bundler would shake it.
  // It stays a dependency for the declarations, which name its types. Its MIT notice is the banner.
  noExternal: ['valibot'],
  banner: { js: VALIBOT_NOTICE },
});
