import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, expect, it, vi } from 'vitest';

// Runs the README's example exactly as written (its console.log lines are captured and checked).
const generated = new URL('./readme-example.generated.ts', import.meta.url);
afterAll(() => rmSync(generated, { force: true }));

it('the README example runs as written', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  writeFileSync(generated, `${code}\nexport {};\n`);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
  try {
    await import(/* @vite-ignore */ generated.href);
  } finally {
    log.mockRestore();
  }
  expect(lines[0]).toBe('200 4242');
  expect(lines[1]).toMatch(/^23850000000000001 /);
  expect(lines).toContain('23850000000000001 2026-11-30T00:00:00.000Z 150.25 SAR');
  expect(lines).toContain('104857600123456 true'); // the Page token read with the exchanged user token
  expect(lines.at(-1)).toBe('phi_refused');
});
