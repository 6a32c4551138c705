// @ts-check
// Mutation testing of the core's HTTP pipeline (issue 10: "tests that can fail"). Not part of CI:
// run it by hand with `pnpm mutate` (the whole of packages/core/src/http, tens of minutes on a
// small machine) or narrow it: `pnpm mutate --mutate packages/core/src/http/rate-limiter.ts`.
// Only the core's own tests run (`vitest.dir`), and per mutant only the tests that cover it.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // Tests import `@hmi/core` (resolved to source by the root config's plugin), which vitest's
  // `related` lookup cannot follow: per-test coverage picks the tests for each mutant instead.
  vitest: { configFile: 'packages/core/vitest.mutate.config.ts', related: false },
  mutate: ['packages/core/src/http/**/*.ts', '!packages/core/src/http/**/index.ts'],
  coverageAnalysis: 'perTest',
  // The machine this runs on is often shared: one or two test processes are plenty.
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  // Above vitest's testTimeout in packages/core/vitest.mutate.config.ts (see there).
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/http.html' },
  jsonReporter: { fileName: 'reports/mutation/http.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false },
  // In place: a sandbox copy would get only the root node_modules, while the core's dependencies
  // (eventemitter3, ky, p-retry) are linked in packages/core/node_modules. Stryker changes the
  // mutated files while it runs and restores them at the end (or on Ctrl-C, from
  // .stryker-tmp/backup-*): do not edit packages/core/src/http during a run.
  inPlace: true,
  ignorePatterns: ['examples', 'docs', 'bench', 'reports', 'packages/console', 'packages/*/dist'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
export default config;
