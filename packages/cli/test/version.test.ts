import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI_VERSION } from '../src/index.js';
import { hmi, tempDir } from './harness.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

describe('the version', () => {
  it('comes from package.json (injected, never written by hand in the source)', async () => {
    expect(CLI_VERSION).toBe(pkg.version);
    const { code, stdout } = await hmi(['--version'], { cwd: tempDir() });
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(pkg.version);
    expect(readFileSync(new URL('../src/cli.ts', import.meta.url), 'utf8')).not.toContain(`'${pkg.version}'`);
  });
});
