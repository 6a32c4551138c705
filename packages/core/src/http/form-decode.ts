/** A decoded form value: a string, a list, or a nested object (bracket notation). */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

// Keys that would reach Object.prototype (or a constructor) through bracket notation. A pair with
// any of them in its path is dropped whole, so `__proto__[polluted]=yes`, `constructor[prototype][x]=1`
// and `a[__proto__][b]=1` set nothing anywhere.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const INDEX = /^(?:0|[1-9]\d{0,5})$/;
// Deeper keys stay one literal key (qs does the same past its depth): no unbounded recursion later.
const MAX_DEPTH = 20;

/** Splits `a[b][0][]` into `['a', 'b', '0', '']`; a key that is not bracket notation stays whole. */
function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0 || !key.endsWith(']')) return [key];
  const segments = [key.slice(0, open)];
  const rest = key.slice(open);
  const pattern = /\[([^[\]]*)\]/g;
  let consumed = 0;
  for (let match = pattern.exec(rest); match; match = pattern.exec(rest)) {
    if (match.index !== consumed || segments.length > MAX_DEPTH) return [key];
    segments.push(match[1]!);
    consumed = match.index + match[0].length;
  }
  return consumed === rest.length ? segments : [key];
}

// Null-prototype nodes: even a key that slipped past the guard could not reach Object.prototype.
type Node = { [key: string]: Node | string | string[] };

function newNode(): Node {
  return Object.create(null) as Node;
}

/**
 * Per-node counter for `a[]=` appends, so n appends cost O(n) in total rather than O(n²) probing.
 */
type Counters = WeakMap<Node, number>;

function childContainer(parent: Node, key: string): Node {
  const existing = parent[key];
  if (typeof existing === 'object' && existing !== null && !Array.isArray(existing)) return existing;
  const created = newNode();
  parent[key] = created;
  return created;
}

function nextIndex(node: Node, counters: Counters): string {
  let n = counters.get(node) ?? 0;
  while (Object.hasOwn(node, String(n))) n++;
  counters.set(node, n + 1);
  return String(n);
}

function setLeaf(parent: Node, key: string, value: string): void {
  const existing = parent[key];
  if (typeof existing === 'string') parent[key] = [existing, value];
  else if (Array.isArray(existing)) existing.push(value);
  else parent[key] = value;
}

/** Turns `{ '0': x, '1': y }` into `[x, y]` at every level; sparse or mixed keys stay an object. */
function finalize(value: Node | string | string[]): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const entries = keys.map((k) => [k, finalize(value[k]!)] as const);
  const dense = keys.length > 0 && keys.every((k) => INDEX.test(k)) && keys.every((k) => Number(k) < keys.length);
  if (dense) {
    const list: FormValue[] = [];
    for (const [k, v] of entries) list[Number(k)] = v;
    return list;
  }
  // Object.fromEntries defines own properties, so even a `__proto__` key could not set a prototype.
  return Object.fromEntries(entries);
}

/**
 * Decodes an `application/x-www-form-urlencoded` body into an object the way Stripe, Rails and
 * PHP read it: `metadata[order]=42` → `{ metadata: { order: '42' } }`, `types[0]=card` and
 * `types[]=card` → `{ types: ['card'] }`, a repeated key (`MediaUrl=a&MediaUrl=b`, Twilio) → a list.
 * Values stay strings. A pair whose key path holds `__proto__`, `constructor` or `prototype` is
 * dropped, so no input can pollute `Object.prototype`; keys nested deeper than 20 levels stay one
 * literal key. Linear in the input.
 */
export function decodeFormBody(input: string | URLSearchParams): Record<string, FormValue> {
  const params = typeof input === 'string' ? new URLSearchParams(input) : input;
  const root = newNode();
  const counters: Counters = new WeakMap();
  for (const [key, value] of params) {
    const segments = splitKey(key);
    if (segments.some((s) => FORBIDDEN_KEYS.has(s))) continue;
    let node = root;
    for (let i = 0; i < segments.length - 1; i++) {
      const segment = segments[i] === '' ? nextIndex(node, counters) : segments[i]!;
      node = childContainer(node, segment);
    }
    const last = segments[segments.length - 1]!;
    setLeaf(node, last === '' ? nextIndex(node, counters) : last, value);
  }
  return Object.fromEntries(Object.keys(root).map((k) => [k, finalize(root[k]!)]));
}
