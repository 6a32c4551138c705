import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

// Stripe's own API description and example objects, read at test time from the shared specs
// folder (never copied into the package).
const SPECS = new URL('../../../../shared/specs/stripe/', import.meta.url);

/** Stripe's OpenAPI description (API version 2023-08-16: older than today's API). */
export function loadStripeSpec(): Record<string, any> {
  return parse(readFileSync(fileURLToPath(new URL('spec3.2023-08-16.yaml', SPECS)), 'utf8'), { maxAliasCount: -1 });
}

/** Stripe's example object per resource, today's shapes. */
export function loadStripeFixtures(): Record<string, Record<string, unknown>> {
  return JSON.parse(readFileSync(fileURLToPath(new URL('fixtures3.json', SPECS)), 'utf8')).resources;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** Ajv over the spec: request-body and component validators by path. */
export function createSpecValidator(spec: Record<string, any>) {
  // coerceTypes: form bodies decode to strings ("15050", "true"); the spec types them as integer/boolean.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, coerceTypes: 'array' });
  ajv.addSchema(toJsonSchema(spec) as Record<string, unknown>, 'stripe');
  const cache = new Map<string, ValidateFunction>();
  const get = (ref: string) => {
    let fn = cache.get(ref);
    if (!fn) {
      fn = ajv.getSchema(ref);
      if (!fn) throw new Error(`no schema at ${ref}`);
      cache.set(ref, fn);
    }
    return fn;
  };
  return {
    /** Validates a decoded form body against `paths[path][method].requestBody`. */
    requestBody(path: string, method: string, body: unknown) {
      const fn = get(
        `stripe#/${pointer('paths', path, method, 'requestBody', 'content', 'application/x-www-form-urlencoded', 'schema')}`,
      );
      return { valid: fn(body) as boolean, errors: fn.errors ?? [] };
    },
    /** Validates an object against `components.schemas[name]`. */
    component(name: string, value: unknown) {
      const fn = get(`stripe#/${pointer('components', 'schemas', name)}`);
      return { valid: fn(structuredClone(value)) as boolean, errors: fn.errors ?? [] };
    },
    /** The query parameter names of an operation. */
    queryParams(path: string, method: string): string[] {
      return (spec.paths[path][method].parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name);
    },
  };
}

/** OpenAPI 3.0's `nullable: true` as JSON Schema: `anyOf: [schema, { type: 'null' }]`. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) if (key !== 'nullable') out[key] = toJsonSchema(value);
  return (node as { nullable?: unknown }).nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}
