import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, expect, it, vi } from 'vitest';

// Runs the README's example exactly as written and compares what it prints with the README's listing.
const generated = new URL('./readme-example.generated.ts', import.meta.url);
afterAll(() => rmSync(generated, { force: true }));

it('the README example runs as written and prints what the README says', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  const printed = /It prints:\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  expect(printed).toBeDefined();
  writeFileSync(generated, `${code}\nexport {};\n`);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
  try {
    await import(/* @vite-ignore */ generated.href);
  } finally {
    log.mockRestore();
  }
  expect(lines).toEqual(printed!.trim().split('\n'));
});
