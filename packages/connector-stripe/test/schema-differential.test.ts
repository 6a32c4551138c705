// Issue 22 moved the connector's schemas from zod to valibot with the promise "same accepted and
// refused inputs, same outputs". This holds the valibot schemas to the zod ones they replaced
// (test/zod-reference, the code as it was) on valid seeds and on seeds changed at random places:
// a field set to an edge value (wrong type, too long, NaN, ±Infinity, an array, a Date, a
// padded URL, …), a field deleted, an unknown key added.
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { PAIRS } from './schema-differential-seeds.js';

const long = (n: number) => 'x'.repeat(n);
const manyKeys = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
/** Edge values, built fresh for each use (a Date, nested objects). */
const edgeArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    '',
    ' ',
    'x',
    'sar',
    'SAR',
    'kwd',
    'isk',
    'pi_1',
    'cus_1',
    'ch_1',
    'py_1',
    'a@b',
    'a b@c',
    '[k]',
    'https://x.example/a',
    ' https://x.example/b ',
    'https://x.exa\nmple/',
    'http:x',
    'not a url',
    'manual',
    'payment',
    'setup',
    'month',
    'paid',
    'succeeded',
    'charge',
    'payment_intent',
    'event',
    'list',
    '1.5',
    '12',
    long(20),
    long(22),
    long(23),
    long(40),
    long(41),
    long(200),
    long(201),
    long(500),
    long(501),
    long(5001),
    0,
    -0,
    1,
    -1,
    1.5,
    5,
    10,
    11,
    100,
    1000,
    1001,
    15050,
    2 ** 53,
    -(2 ** 53),
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    true,
    false,
  ),
  fc
    .constantFrom(
      () => [],
      () => ['card'],
      () => [''],
      () => Array.from({ length: 51 }, () => 'x'),
      () => ({}),
      () => ({ a: 'b' }),
      () => ({ id: 'x' }),
      () => ({ enabled: true }),
      () => ({ ...manyKeys }),
      () => ({ '[x]': 'y' }),
      () => ({ constructor: 'c' }),
      () => ({ prototype: 1 }),
      () => new Date(0),
      () => new Map(),
      () => [{ price: 'p' }],
    )
    .map((make) => make()),
  fc.string({ maxLength: 6 }),
  fc.integer(),
  fc.double(),
);
const keyArb = fc.constantFrom(
  'extra',
  'constructor',
  'prototype',
  'toString',
  'amount',
  'currency',
  'id',
  'metadata',
  'url',
  'x[y]',
);

type Path = Array<string | number>;
function pathsOf(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (at.length < 6 && value !== null && typeof value === 'object') {
    for (const [k, child] of Object.entries(value))
      pathsOf(child, [...at, Array.isArray(value) && /^\d+$/.test(k) ? Number(k) : k], out);
  }
  return out;
}
const mutationArb = fc.record({
  pick: fc.nat(),
  kind: fc.constantFrom('set', 'set', 'delete', 'add'),
  value: edgeArb,
  key: keyArb,
});

type Mutation = { pick: number; kind: string; value: unknown; key: string };
function mutate(seed: unknown, mutations: Mutation[]): unknown {
  let root = structuredClone(seed);
  for (const { value: edge, ...m } of mutations) {
    // A copy: an edge value is fast-check's, shrinking reuses it.
    const value = structuredClone(edge);
    const paths = pathsOf(root);
    const path = paths[m.pick % paths.length]!;
    if (path.length === 0) {
      if (m.kind === 'set') root = value;
      else if (m.kind === 'add' && root !== null && typeof root === 'object' && !Array.isArray(root))
        Object.defineProperty(root, m.key, { value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const parent = path.slice(0, -1).reduce((o: any, k) => o[k], root) as Record<string | number, unknown>;
    const last = path.at(-1)!;
    if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (m.kind === 'add' && parent[last] !== null && typeof parent[last] === 'object' && !Array.isArray(parent[last])) {
      Object.defineProperty(parent[last], m.key, { value, enumerable: true, writable: true, configurable: true });
    } else parent[last] = value;
  }
  return root;
}

function compare(name: string, zod: z.ZodType, valibot: v.GenericSchema, input: unknown) {
  const a = zod.safeParse(input);
  const b = v.safeParse(valibot, input);
  const where = `${name} on ${String(JSON.stringify(input))?.slice(0, 400)}`;
  expect(b.success, `${where}: ${a.success ? 'zod accepts' : JSON.stringify(a.error.issues.map((i) => [i.path, i.code]))}`).toBe(
    a.success,
  );
  if (a.success && b.success) {
    expect(b.output, where).toEqual(a.data);
    // Same keys in the same order, those set to undefined included (what the form encoder walks).
    expect(pathsOf(b.output), where).toEqual(pathsOf(a.data));
  }
}

describe('valibot schemas accept, refuse and output as the zod schemas they replaced', () => {
  it.each(PAIRS)('%s: the seeds themselves', (name, zod, valibot, seeds) => {
    for (const seed of seeds()) {
      expect(seed, name).toBeDefined();
      expect(zod.safeParse(seed).success, `${name}: a seed the reference refuses`).toBe(true);
      compare(name, zod, valibot, seed);
    }
  });

  it.each(PAIRS)('%s: seeds changed at random places', (name, zod, valibot, seeds) => {
    const all = seeds();
    let refused = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (which, mutations) => {
        const input = mutate(all[which % all.length], mutations);
        if (!zod.safeParse(input).success) refused++;
        compare(name, zod, valibot, input);
      }),
      { numRuns: 400 },
    );
    expect(refused, 'the mutations reach the refusals').toBeGreaterThan(20);
  });
});
