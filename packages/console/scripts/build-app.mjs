#!/usr/bin/env node
// Builds the browser app (app/) into dist/app: one minified script, one stylesheet, the page and
// its icon. No CDN, no inline script or style, so the page runs offline under a strict CSP.
// `pnpm --filter @hmi/console build` runs it after tsup; the tests call buildApp() themselves.
import { copyFile, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the app into `outDir` (default `dist/app`) and returns that directory. */
export async function buildApp(outDir = join(packageDir, 'dist', 'app')) {
  await mkdir(outDir, { recursive: true });
  // Built beside outDir, then renamed file by file: a test file reading outDir while another
  // rebuilds it sees the old file or the new one, never half of one.
  const work = await mkdtemp(join(outDir, '..', '.app-'));
  try {
    await build({
      entryPoints: { app: join(packageDir, 'app', 'main.ts') },
      outdir: work,
      bundle: true,
      minify: true,
      format: 'esm',
      target: ['chrome110', 'firefox115', 'safari16'],
      legalComments: 'none',
      logLevel: 'warning',
    });
    for (const file of ['app.css', 'index.html', 'favicon.svg']) await copyFile(join(packageDir, 'app', file), join(work, file));
    for (const file of await readdir(work)) await rename(join(work, file), join(outDir, file));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = await buildApp();
  console.log(`console app built in ${dir}`);
}
