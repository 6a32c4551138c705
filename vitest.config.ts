import { existsSync, readFileSync } from 'node:fs';
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

/**
 * The build injects each package's version as `__HMI_PKG_VERSION__` (tsup.base.ts); tests run the
 * sources, so this does the same for files under `packages/<pkg>/src` and `examples/<pkg>/src`.
 * It runs after TypeScript is stripped, so `declare const __HMI_PKG_VERSION__` is already gone.
 */
function packageVersion(code: string, id: string): string | null {
  if (!code.includes('__HMI_PKG_VERSION__')) return null;
  const match = /\/((?:packages|examples)\/[^/]+)\/src\//.exec(id);
  if (!match) return null;
  const { version } = JSON.parse(readFileSync(`${root}${match[1]}/package.json`, 'utf8')) as { version: string };
  return code.replace(/\b__HMI_PKG_VERSION__\b/g, JSON.stringify(version));
}

export default defineConfig({
  plugins: [
    { name: 'hmi-package-version', transform: (code, id) => packageVersion(code, id) },
    {
      name: 'hmi-workspace-source',
      enforce: 'pre',
      resolveId(source) {
        return workspaceSource(source) ?? null;
      },
    },
  ],
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'scripts/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // expect.poll waits for a browser page or a server to settle; 1 s (vitest's default) is too short
    // on a 2-core CI machine running the whole suite. A longer wait asserts nothing about speed.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
