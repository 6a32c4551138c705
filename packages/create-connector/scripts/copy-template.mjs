#!/usr/bin/env node
// Copies the template — examples/custom-connector, the connector the docs walk through — into
// template/ and records the versions a scaffolded package pins. Run by `build` (and by the tests),
// so the template is never a second hand-kept copy of the example.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
const repo = join(here, '..', '..');
const example = join(repo, 'examples', 'custom-connector');
const out = join(here, 'template');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// tsup.config.ts is written by the scaffold: the example's uses the workspace's shared base.
for (const part of ['src', 'test', 'openapi']) cpSync(join(example, part), join(out, part), { recursive: true });

const require = createRequire(join(example, 'package.json'));
const installed = (name) => JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
const own = (dir) => JSON.parse(readFileSync(join(repo, 'packages', dir, 'package.json'), 'utf8')).version;
const rootRequire = createRequire(join(repo, 'package.json'));
const rootInstalled = (name) => JSON.parse(readFileSync(rootRequire.resolve(`${name}/package.json`), 'utf8')).version;
const versions = {
  '@hmi/core': `^${own('core')}`,
  '@hmi/testing': `^${own('testing')}`,
  '@types/node': rootInstalled('@types/node'),
  msw: installed('msw'),
  tsup: installed('tsup'),
  typescript: rootInstalled('typescript'),
  vitest: installed('vitest'),
  zod: installed('zod'),
};
writeFileSync(join(out, 'versions.json'), `${JSON.stringify(versions, null, 2)}\n`);
if (!existsSync(join(out, 'src', 'index.ts'))) throw new Error('template copy failed');
console.log(`template: examples/custom-connector → ${out}`);
