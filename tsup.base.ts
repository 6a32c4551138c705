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

/**
 * The licence notice a dist that bundles valibot (MIT) must carry: `banner: { js: VALIBOT_NOTICE }`.
 */
export const VALIBOT_NOTICE = `/*!
 * This file bundles parts of valibot (https://valibot.dev):
 *
 * MIT License
 *
 * Copyright (c) Fabian Hiller
 *
 * Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
 * associated documentation files (the "Software"), to deal in the Software without restriction,
 * including without limitation the rights to use, copy, modify, merge, publish, distribute,
 * sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
 * furnished to do so, subject to the following conditions:
 *
 * The above copyright notice and this permission notice shall be included in all copies or
 * substantial portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
 * NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
 * NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
 * OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
 * CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
 */`;
