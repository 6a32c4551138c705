import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import workspace from '../../vitest.config.js';

/** The workspace's vitest config narrowed to the core's own tests, for `pnpm mutate` (Stryker). */
export default defineConfig({
  ...workspace,
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    ...workspace.test,
    // A mutant that makes a test hang should fail it quickly (killed) rather than reach Stryker's
    // own timeout, which restarts the test process: far slower on a busy machine.
    testTimeout: 5_000,
    // MUTATE_TESTS narrows the run to some test files (comma-separated), e.g. the unit tests of
    // the files being mutated, for a quick, deterministic score on a busy machine.
    include: process.env.MUTATE_TESTS ? process.env.MUTATE_TESTS.split(',') : ['packages/core/test/**/*.test.ts'],
    // Stryker's sandbox links only the root node_modules, so the optional peer (jose) that this
    // test imports through the package's own node_modules is not found there. It tests packaging,
    // not the pipeline.
    // The canary suite answers within 300 ms timeouts that a loaded machine misses, which would
    // fail Stryker's dry run; its leak checks do not depend on the pipeline's branches.
    exclude: [...configDefaults.exclude, 'packages/core/test/optional-module.test.ts', 'packages/core/test/canary.test.ts'],
  },
});
