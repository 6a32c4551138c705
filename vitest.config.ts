import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Tests import workspace packages from source (`@hmi/core` → packages/core/src/index.ts,
 * `@hmi/connector-x/msw` → packages/connector-x/src/msw/index.ts), so a test run needs no build.
 */
function workspaceSource(specifier: string): string | undefined {
  const match = /^@hmi\/([^/]+)(?:\/(.+))?$/.exec(specifier);
  if (!match) return undefined;
  const [, pkg, subpath] = match;
  const candidate = subpath ? `${root}packages/${pkg}/src/${subpath}/index.ts` : `${root}packages/${pkg}/src/index.ts`;
  if (existsSync(candidate)) return candidate;
  const file = `${root}packages/${pkg}/src/${subpath}.ts`;
  return subpath && existsSync(file) ? file : undefined;
}

export default defineConfig({
  plugins: [
    {
      name: 'hmi-workspace-source',
      enforce: 'pre',
      resolveId(source) {
        return workspaceSource(source) ?? null;
      },
    },
  ],
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
