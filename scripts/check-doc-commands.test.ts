import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('./check-doc-commands.mjs', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'hmi-doc-commands-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(root: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [SCRIPT, `--root=${root}`, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('check-doc-commands', () => {
  it('runs only the marked blocks, from the root, and passes when they succeed', () => {
    const root = tree({
      'README.md': [
        '# app', //                          1
        '', //                               2
        '<!-- ci: run -->', //               3
        '```sh', //                          4
        'echo ran > marked.txt', //          5
        '```', //                            6
        '', //                               7
        '```sh', //                          8
        'echo unmarked > unmarked.txt', //   9
        '```', //                            10
      ].join('\n'),
    });
    const { code, out } = check(root);
    expect(out).toContain('✓ README.md:4');
    expect(code).toBe(0);
    expect(existsSync(join(root, 'marked.txt'))).toBe(true);
    expect(existsSync(join(root, 'unmarked.txt'))).toBe(false);
  });

  it('names the file and line of a failing block, stops at its first failing line, and fails', () => {
    const root = tree({
      'docs/guide.md': ['intro', '<!-- ci: run -->', '```bash', 'false', 'echo after > after.txt', '```'].join('\n'),
      'packages/core/README.md': ['<!-- ci: run -->', '```sh', 'echo fine', '```'].join('\n'),
    });
    const { code, out } = check(root);
    expect(out).toMatch(/✗ docs\/guide\.md:3 exited 1/);
    expect(out).toContain('✓ packages/core/README.md:2');
    expect(out).toContain('1 of 2 marked blocks failed');
    expect(code).toBe(1);
    expect(existsSync(join(root, 'after.txt'))).toBe(false);
  });

  it('kills a block that runs past its timeout, with what it started', () => {
    const root = tree({
      'README.md': ['<!-- ci: run timeout=1 -->', '```sh', 'sleep 30 & sleep 30', '```'].join('\n'),
    });
    const started = Date.now();
    const { code, out } = check(root);
    expect(out).toMatch(/✗ README\.md:2 timed out after 1 s/);
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('refuses a marker that is not followed by a shell block, and a tree with no marked block', () => {
    const misplaced = tree({ 'README.md': ['<!-- ci: run -->', '', '```ts', 'const x = 1;', '```'].join('\n') });
    const first = check(misplaced);
    expect(first.out).toContain('README.md:1: the ci: run marker is not followed by a ```sh block');
    expect(first.code).toBe(1);
    const none = check(tree({ 'README.md': '```sh\necho hi\n```\n' }));
    expect(none.out).toContain('no block is marked');
    expect(none.code).toBe(1);
  });
});
