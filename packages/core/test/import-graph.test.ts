import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The root and internal entries must load no schema library at run time: zod alone costs ~100 ms
// of CPU to import, paid on every cold start of a serverless webhook receiver (issue 22). This
// walks the runtime imports (not `import type`/`export type`) from each entry through the source.
const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  const re = /^(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  for (const match of text.matchAll(re)) {
    if (match[1]) continue;
    // `import { type A, type B } from` is type-only too.
    const clause = /\{([^}]*)\}/.exec(match[0])?.[1];
    if (clause?.split(',').every((s) => !s.trim() || s.trim().startsWith('type '))) continue;
    specifiers.push(match[2]!);
  }
  for (const match of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specifiers.push(`dynamic:${match[1]}`);
  return specifiers;
}

function packagesLoadedBy(entry: string): { packages: Set<string>; files: Map<string, string> } {
  const packages = new Set<string>();
  const files = new Map<string, string>();
  const queue = [resolve(src, entry)];
  while (queue.length) {
    const file = queue.pop()!;
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('dynamic:')) continue; // loaded on first use, not at import
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
        if (!files.has(target)) {
          files.set(target, file);
          queue.push(target);
        }
      } else if (!spec.startsWith('node:')) packages.add(spec);
    }
  }
  return { packages, files };
}

describe('what importing @hmi/core loads', () => {
  for (const entry of ['index.ts', 'internal/index.ts']) {
    it(`${entry} reaches no schema library`, () => {
      const { packages, files } = packagesLoadedBy(entry);
      expect([...packages].filter((p) => p === 'zod' || p.startsWith('zod/') || p === 'valibot')).toEqual([]);
      // And it does reach the modules that are on its path (the walk itself works).
      expect(files.size).toBeGreaterThan(10);
      expect([...files.keys()].some((f) => f.endsWith('registry.ts'))).toBe(true);
    });
  }

  it('the walk sees zod where it is used: the schemas entry', () => {
    expect(packagesLoadedBy('schemas.ts').packages.has('zod')).toBe(true);
  });
});
