import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/**
 * The one tsup setup of every hmi package: ESM and CJS with declarations for Node 20, tree-shaken,
 * no source maps, and the package's own version (from its package.json) injected as
 * `__HMI_PKG_VERSION__`, so no source file writes a version by hand. A package's
 * `tsup.config.ts` passes only what differs: entries, externals, banners.
 *
 * tsup runs with the package directory as the working directory (`pnpm --filter … build`).
 */
export function hmiTsup(...configs: Options[]): ReturnType<typeof defineConfig> {
  const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string };
  const base: Options = {
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'node20',
    sourcemap: false,
    treeshake: true,
  };
  const withVersion = (config: Options, index: number): Options => ({
    ...base,
    // A second config (a binary) writes into the same dist: only the first one cleans it.
    ...(index > 0 && { clean: false }),
    ...config,
    define: { __HMI_PKG_VERSION__: JSON.stringify(pkg.version), ...config.define },
  });
  return defineConfig(configs.length === 1 ? withVersion(configs[0] ?? {}, 0) : configs.map(withVersion));
}
