#!/usr/bin/env node
// Builds the browser app (app/) into dist/app: one minified script, one stylesheet, the page and
// its icon. No CDN, no inline script or style, so the page runs offline under a strict CSP.
// `pnpm --filter @hmi/console build` runs it after tsup; the tests call buildApp() themselves.
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the app into `outDir` (default `dist/app`) and returns that directory. */
export async function buildApp(outDir = join(packageDir, 'dist', 'app')) {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: { app: join(packageDir, 'app', 'main.ts') },
    outdir: outDir,
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome110', 'firefox115', 'safari16'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  await copyFile(join(packageDir, 'app', 'app.css'), join(outDir, 'app.css'));
  await copyFile(join(packageDir, 'app', 'index.html'), join(outDir, 'index.html'));
  await copyFile(join(packageDir, 'app', 'favicon.svg'), join(outDir, 'favicon.svg'));
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = await buildApp();
  console.log(`console app built in ${dir}`);
}
