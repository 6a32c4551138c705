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
  expect(lines[0]).toBe('store the new refresh token true');
  expect(lines).toContain('next read starts after 1800000000000000005');
  expect(lines.some((l) => l.startsWith('@um_abdullah_77 social'))).toBe(true);
  expect(lines).toContain('ValidationError phi_name,phi_mrn'); // refused before any request
  expect(lines.some((l) => l.includes('please message us privately'))).toBe(true);
});
