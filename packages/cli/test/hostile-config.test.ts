import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError } from '@hmi/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONFIG_LIMITS, type ConfigValidation, loadConfig, validateConfigText } from '../src/index.js';
import { goodConfig, tempDir, write } from './harness.js';

const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

const refused = (result: ConfigValidation) => {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues;
};

const BRACKETS = '['.repeat(1000) + ']'.repeat(1000);

describe('hostile configs are refused with a positioned issue, never a crash', () => {
  it('refuses 1,000 nested brackets (twice in one process) at the line and column where the limit is passed', async () => {
    for (let i = 0; i < 2; i++) {
      const issues = refused(await validateConfigText(BRACKETS));
      expect(issues).toEqual([
        {
          path: [],
          message: `YAML: nesting deeper than ${CONFIG_LIMITS.maxDepth} levels`,
          line: 1,
          column: CONFIG_LIMITS.maxDepth + 1,
        },
      ]);
    }
    const braces = refused(await validateConfigText(`version: 1\npoints: ${'{a: '.repeat(500)}1${'}'.repeat(500)}\n`));
    expect(braces[0]).toMatchObject({ line: 2, message: expect.stringMatching(/nesting deeper/) });
    // Brackets inside quoted strings and comments are text, not nesting.
    const quoted = refused(await validateConfigText(`version: 1\nnote: "${'['.repeat(200)}" # ${'{'.repeat(200)}\n`));
    expect(quoted.some((i) => /nesting/.test(i.message))).toBe(false);
  });

  it('refuses deep block nesting and compact sequences too', async () => {
    const block = Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    expect(refused(await validateConfigText(block))[0]!.message).toMatch(/nesting deeper/);
    const compact = refused(await validateConfigText(`${'- '.repeat(5000)}x`));
    expect(compact[0]).toMatchObject({ line: 1, message: expect.stringMatching(/nesting deeper/) });
  });

  it('turns an alias to a missing anchor and an alias bomb into issues with positions', async () => {
    const missing = refused(await validateConfigText('version: 1\nconnectors: {}\npoints: *nowhere\n'));
    expect(missing).toEqual([
      { path: [], message: 'YAML: alias to an anchor that is not defined before it', line: 3, column: 9 },
    ]);
    const laughs = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ].join('\n');
    const bomb = refused(await validateConfigText(laughs));
    expect(bomb).toHaveLength(1);
    expect(bomb[0]).toMatchObject({ message: expect.stringMatching(/aliases expand too much/), line: expect.any(Number) });
  });

  it('refuses a file over the size limit before parsing it', async () => {
    const issues = refused(await validateConfigText(`# ${'x'.repeat(CONFIG_LIMITS.maxBytes)}\n`));
    expect(issues[0]!.message).toMatch(/larger than/);
  });

  it('loadConfig throws a ConfigError whose issues carry line and column', async () => {
    const dir = tempDir();
    const file = write(dir, 'deep.yaml', BRACKETS);
    const error = await loadConfig(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues[0]).toMatchObject({ line: 1, column: 65 });
    expect((error as ConfigError).message).toContain('deep.yaml:1:65');
  });

  it('the hmi binary answers exit 2 with the position, not an abort (a fresh process, where the crash was)', async () => {
    const dir = tempDir();
    write(dir, 'deep.yaml', BRACKETS);
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--conditions=@hmi/source', '--import', TSX, BIN, 'validate', 'deep.yaml'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (c) => (err += c));
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c, stderr: err }));
    });
    expect(stderr).toContain('deep.yaml:1:65: (root): YAML: nesting deeper than 64 levels');
    expect(code).toBe(2);
  });

  it('mutated configs never throw: validateConfigText resolves, loadConfig rejects only with a ConfigError (property)', async () => {
    const base = goodConfig();
    const dir = tempDir();
    const pieces = [
      '[',
      ']',
      '{',
      '}',
      '&a ',
      '*a',
      '*b',
      ': ',
      '- ',
      '\n  ',
      '\n',
      '"',
      "'",
      '#',
      '!!',
      '|',
      '>',
      '? ',
      ',',
      '<<: *a',
    ];
    const mutation = fc.record({
      at: fc.nat({ max: base.length }),
      cut: fc.nat({ max: 20 }),
      insert: fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 4 })), { maxLength: 8 }),
      repeat: fc.nat({ max: 300 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        let text = base;
        for (const m of mutations) {
          const at = Math.min(m.at, text.length);
          text =
            text.slice(0, at) + m.insert.join('').repeat(Math.max(1, m.repeat % 4 === 0 ? m.repeat : 1)) + text.slice(at + m.cut);
        }
        const result = await validateConfigText(text);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) for (const issue of result.issues) expect(typeof issue.message).toBe('string');
        const file = write(dir, 'mutant.yaml', text);
        await loadConfig(file).catch((error: unknown) => {
          expect(ConfigError.isInstance(error)).toBe(true);
        });
      }),
      { numRuns: 200 },
    );
  }, 90_000);
});
