import { readFileSync } from 'node:fs';
import { expect, it, vi } from 'vitest';

it('the README quickstart runs against the exported fake and is the README sample, verbatim', async () => {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  try {
    await import('../examples/quickstart.js');
  } finally {
    log.mockRestore();
  }
  expect(lines[0]).toMatch(/^\d+ INV\/\d{4}\/\d{5} paid 40308$/);
  expect(lines[1]).toMatch(/^INV\/\d{4}\/\d{5} paid 40308 SAR$/);
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const sample = readFileSync(new URL('../examples/quickstart.ts', import.meta.url), 'utf8');
  expect(readme).toContain(sample.split('\n').slice(2).join('\n').trim());
});
