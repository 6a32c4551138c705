import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without type declarations
import { checkImports } from './check-imports.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'hmi-imports-'));
  dirs.push(root);
  mkdirSync(join(root, 'packages'));
  mkdirSync(join(root, 'examples'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const manifest = (name: string, deps: string[] = [], dev: string[] = []) =>
  JSON.stringify({
    name,
    dependencies: Object.fromEntries(deps.map((d) => [d, 'workspace:^'])),
    devDependencies: Object.fromEntries(dev.map((d) => [d, 'workspace:^'])),
  });

describe('the import rules of ARCHITECTURE.md', () => {
  it('hold in this workspace', () => {
    expect(checkImports(ROOT)).toEqual([]);
  });

  it('catch a forbidden dependency, an undeclared import, a reach into another package and an unknown package', () => {
    const root = workspace({
      'packages/core/package.json': manifest('@hmi/core'),
      'packages/core/src/index.ts': 'export const x = 1;',
      'packages/flow/package.json': manifest('@hmi/flow', ['@hmi/core']),
      'packages/connector-acme/package.json': manifest('@hmi/connector-acme', ['@hmi/core', '@hmi/flow'], ['@hmi/testing']),
      'packages/connector-acme/src/index.ts': [
        "import { x } from '@hmi/core';",
        "import { y } from '@hmi/phone';",
        "import { z } from '../../flow/src/index.js';",
        "import { w } from './local.js';",
      ].join('\n'),
      'packages/connector-acme/test/a.test.ts': "import { t } from '@hmi/testing';\nimport { m } from '@hmi/monitor';",
      'packages/gizmo/package.json': manifest('@hmi/gizmo', ['@hmi/core']),
      'examples/demo/package.json': manifest('demo', ['@hmi/core']),
      'examples/demo/src/index.ts': "import { sleep } from '@hmi/core/internal';",
    });
    const problems = checkImports(root);
    expect(problems).toEqual(
      expect.arrayContaining([
        'packages/connector-acme/package.json: @hmi/connector-acme may not depend on @hmi/flow',
        'packages/connector-acme/src/index.ts: imports @hmi/phone, which @hmi/connector-acme does not declare in dependencies',
        'packages/connector-acme/src/index.ts: reaches into packages/flow/src/index.js by a relative path',
        'packages/connector-acme/test/a.test.ts: imports @hmi/monitor, which @hmi/connector-acme does not declare (dependencies or devDependencies)',
        'packages/gizmo: @hmi/gizmo is not in the import rules (scripts/check-imports.mjs, ARCHITECTURE.md)',
        'examples/demo/src/index.ts: examples are what users copy: only public entries, not @hmi/core/internal',
      ]),
    );
    expect(problems).toHaveLength(6);
  });
});

describe('package versions', () => {
  it('are injected at build time, never written by hand in a package source', () => {
    const found: string[] = [];
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((entry) => {
        const path = join(dir, entry);
        return statSync(path).isDirectory() ? walk(path) : /\.ts$/.test(entry) ? [path] : [];
      });
    for (const group of ['packages', 'examples']) {
      for (const dir of readdirSync(join(ROOT, group))) {
        let version: string;
        try {
          version = (JSON.parse(readFileSync(join(ROOT, group, dir, 'package.json'), 'utf8')) as { version: string }).version;
        } catch {
          continue;
        }
        let files: string[] = [];
        try {
          files = walk(join(ROOT, group, dir, 'src'));
        } catch {
          continue;
        }
        for (const file of files) {
          if (readFileSync(file, 'utf8').includes(`'${version}'`)) found.push(`${file.slice(ROOT.length)}: '${version}'`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});
