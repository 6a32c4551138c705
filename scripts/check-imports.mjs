#!/usr/bin/env node
// Keeps ARCHITECTURE.md's "what may import what" true. The rules are checked against each
// package's package.json (its declared @hmi dependencies) and against the imports its files
// actually make. Run `node scripts/check-imports.mjs`; scripts/check-imports.test.ts runs it in
// the test suite.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Which @hmi packages each kind of package may depend on at run time. A kind is a package name,
 * or a family: every `@hmi/connector-*`, every `@hmi/store-*` and `@hmi/queue-*`.
 */
export const ALLOWED = Object.freeze({
  '@hmi/core': [],
  '@hmi/phone': ['@hmi/core'],
  '@hmi/testing': ['@hmi/core'],
  '@hmi/flow': ['@hmi/core'],
  connector: ['@hmi/core', '@hmi/phone'],
  '@hmi/connector-whatsapp': ['@hmi/core', '@hmi/phone', '@hmi/connector-meta'], // the shared Graph module (ARCHITECTURE.md)
  store: ['@hmi/core', '@hmi/flow'],
  '@hmi/monitor': ['@hmi/core', '@hmi/flow'],
  '@hmi/otel': ['@hmi/core', '@hmi/flow'],
  '@hmi/gateway': ['@hmi/core', '@hmi/flow', '@hmi/phone', 'store', '@hmi/console'],
  '@hmi/console': [],
  '@hmi/create-connector': ['@hmi/core'],
  '@hmi/cli': ['@hmi/core', '@hmi/flow', '@hmi/phone', '@hmi/create-connector', 'store'],
});

/** The kind of a package name, or undefined for one the rules do not know yet. */
export function kindOf(name) {
  if (Object.hasOwn(ALLOWED, name)) return name;
  if (/^@hmi\/connector-[a-z0-9-]+$/.test(name)) return 'connector';
  if (/^@hmi\/(store|queue)-[a-z0-9-]+$/.test(name)) return 'store';
  return undefined;
}

function allows(kind, dependency) {
  return ALLOWED[kind].some((rule) => rule === dependency || rule === kindOf(dependency));
}

function* sourceFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(entry)) yield path;
  }
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1]);
}

/** The package an `@hmi/x/sub` specifier belongs to. */
const packageOf = (specifier) => specifier.split('/').slice(0, 2).join('/');

/** Every violation of the rules in the workspace at `root`, as readable lines. */
export function checkImports(root) {
  const problems = [];
  const workspaces = ['packages', 'examples'].flatMap((group) =>
    readdirSync(join(root, group))
      .map((dir) => join(root, group, dir))
      .filter((dir) => {
        try {
          return statSync(join(dir, 'package.json')).isFile();
        } catch {
          return false;
        }
      })
      .map((dir) => ({ dir, group, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) })),
  );
  for (const { dir, group, pkg } of workspaces) {
    const where = relative(root, dir);
    const runtime = new Set(
      [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})].filter((d) => d.startsWith('@hmi/')),
    );
    const dev = new Set(Object.keys(pkg.devDependencies ?? {}).filter((d) => d.startsWith('@hmi/')));
    if (group === 'packages') {
      const kind = kindOf(pkg.name);
      if (kind === undefined) {
        problems.push(`${where}: ${pkg.name} is not in the import rules (scripts/check-imports.mjs, ARCHITECTURE.md)`);
        continue;
      }
      for (const dependency of runtime) {
        if (!allows(kind, dependency)) problems.push(`${where}/package.json: ${pkg.name} may not depend on ${dependency}`);
      }
    }
    for (const file of sourceFiles(join(dir, 'src'))) {
      for (const specifier of importsOf(file)) {
        const at = relative(root, file);
        if (specifier.startsWith('@hmi/')) {
          const target = packageOf(specifier);
          if (target !== pkg.name && !runtime.has(target)) {
            problems.push(`${at}: imports ${specifier}, which ${pkg.name} does not declare in dependencies`);
          }
          // Between packages (WhatsApp) only the shared Graph module; apps and examples use every public entry.
          if (
            group === 'packages' &&
            target === '@hmi/connector-meta' &&
            pkg.name !== target &&
            specifier !== '@hmi/connector-meta/graph'
          ) {
            problems.push(`${at}: imports ${specifier}; only the shared Graph module @hmi/connector-meta/graph is allowed`);
          }
          if (group === 'examples' && specifier === '@hmi/core/internal') {
            problems.push(`${at}: examples are what users copy: only public entries, not @hmi/core/internal`);
          }
        } else if (specifier.startsWith('.')) {
          // A relative path that climbs into another package bypasses its public entry.
          const resolved = relative(root, resolve(dirname(file), specifier));
          if (!resolved.startsWith(`${where}/`)) problems.push(`${at}: reaches into ${resolved} by a relative path`);
        }
      }
    }
    for (const file of sourceFiles(join(dir, 'test'))) {
      for (const specifier of importsOf(file)) {
        if (!specifier.startsWith('@hmi/')) continue;
        const target = packageOf(specifier);
        if (target !== pkg.name && !runtime.has(target) && !dev.has(target)) {
          problems.push(
            `${relative(root, file)}: imports ${specifier}, which ${pkg.name} does not declare (dependencies or devDependencies)`,
          );
        }
      }
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = checkImports(fileURLToPath(new URL('..', import.meta.url)));
  for (const line of problems) console.error(line);
  if (problems.length > 0) process.exit(1);
  console.log('import rules hold');
}
