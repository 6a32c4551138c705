/**
 * A reader for Meta's codegen API specs (`../shared/specs/meta/api_specs/specs/<Node>.json`:
 * `{ fields: [{name, type}], apis: [{method, endpoint, params: [{name, type}]}] }` plus
 * `enum_types.json`), read at test time through @hmi/testing's `findSpecsDir`. Specific to this
 * format, so it lives with the Meta tests rather than in @hmi/testing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findSpecsDir } from '@hmi/testing';

interface SpecField {
  name: string;
  type: string;
}
interface SpecApi {
  method: string;
  endpoint?: string | null;
  params: SpecField[];
}
interface SpecNode {
  fields: SpecField[];
  apis: SpecApi[];
}

/** Params Graph accepts on every call, not repeated in each node's spec. */
const UNIVERSAL = new Set(['fields', 'limit', 'after', 'before', 'access_token', 'appsecret_proof']);

export function metaSpecDir(): string {
  return join(findSpecsDir(new URL('.', import.meta.url)), 'meta', 'api_specs', 'specs');
}

export function createMetaSpec(dir = metaSpecDir()) {
  const cache = new Map<string, SpecNode | undefined>();
  const enums = new Map<string, string[]>(
    (JSON.parse(readFileSync(join(dir, 'enum_types.json'), 'utf8')) as Array<{ name: string; values: string[] }>).map((e) => [
      e.name,
      e.values,
    ]),
  );
  const node = (name: string): SpecNode | undefined => {
    if (!cache.has(name)) {
      const file = join(dir, `${name}.json`);
      cache.set(name, existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SpecNode) : undefined);
    }
    return cache.get(name);
  };
  const must = (name: string): SpecNode => {
    const n = node(name);
    if (!n) throw new Error(`Meta spec has no node ${name}`);
    return n;
  };

  /** Problems with `value` against a spec type (`string`, `list<X>`, `datetime`, an enum, a node). */
  function checkValue(value: unknown, type: string, path: string, wire: 'json' | 'query'): string[] {
    const list = /^list<(.+)>$/.exec(type);
    if (list) {
      let items = value;
      // A list in a query string is JSON (`["A","B"]`) or comma separated (`a,b`): Graph takes both.
      if (wire === 'query' && typeof value === 'string') items = value.startsWith('[') ? JSON.parse(value) : value.split(',');
      if (!Array.isArray(items)) return [`${path}: expected a list (${type})`];
      return items.flatMap((item, i) => checkValue(item, list[1]!, `${path}[${i}]`, 'json'));
    }
    const scalar = typeof value === 'string' && wire === 'query' ? value : undefined;
    switch (type) {
      case 'string':
        return typeof value === 'string' ? [] : [`${path}: expected string`];
      case 'bool':
        return typeof value === 'boolean' || scalar === 'true' || scalar === 'false' ? [] : [`${path}: expected bool`];
      case 'int':
      case 'unsigned int':
      case 'float':
        return typeof value === 'number' || /^-?\d+(\.\d+)?$/.test(String(value)) ? [] : [`${path}: expected a number (${type})`];
      case 'datetime':
        return typeof value === 'number' ||
          (typeof value === 'string' && !Number.isNaN(Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))))
          ? []
          : [`${path}: expected a datetime`];
      case 'Object':
        // The codegen's untyped value (Meta's SDKs accept any JSON there: a metric name, a number).
        return value === undefined ? [`${path}: missing`] : [];
      case 'map':
        if (typeof value === 'object' && value !== null) return [];
        if (typeof value === 'string') {
          try {
            return typeof JSON.parse(value) === 'object' ? [] : [`${path}: expected a map`];
          } catch {
            return [`${path}: expected a JSON map`];
          }
        }
        return [`${path}: expected a map`];
    }
    const values = enums.get(type);
    if (values) return values.includes(String(value)) ? [] : [`${path}: ${String(value)} is not one of ${type}`];
    const child = node(type);
    if (child && typeof value === 'object' && value !== null && !Array.isArray(value))
      return checkObject(type, value as Record<string, unknown>, path);
    return child ? [`${path}: expected a ${type} object`] : [];
  }

  /** Problems with a fixture object: keys that are not fields (or edges) of the node, or of the wrong type. */
  function checkObject(nodeName: string, object: Record<string, unknown>, path = nodeName): string[] {
    const spec = must(nodeName);
    const fields = new Map(spec.fields.map((f) => [f.name, f.type]));
    const edges = new Set(spec.apis.filter((a) => a.method === 'GET' && a.endpoint).map((a) => a.endpoint as string));
    return Object.entries(object).flatMap(([key, value]) => {
      const type = fields.get(key);
      if (type) return checkValue(value, type, `${path}.${key}`, 'json');
      if (edges.has(key)) return []; // an edge expanded in `fields` (comments.summary(...))
      return [`${path}.${key}: not a field of ${nodeName}`];
    });
  }

  /** Problems with a request's params against `node`'s API for `method` and `edge`. */
  function checkRequest(
    nodeName: string,
    method: string,
    edge: string | null,
    params: Record<string, unknown>,
    wire: 'json' | 'query',
  ): string[] {
    const api = must(nodeName).apis.find((a) => a.method === method && (a.endpoint ?? null) === edge);
    if (!api) return [`${nodeName} has no ${method} ${edge ?? '(node)'}`];
    const types = new Map(api.params.map((p) => [p.name, p.type]));
    return Object.entries(params).flatMap(([name, value]) => {
      if (UNIVERSAL.has(name)) return [];
      const type = types.get(name);
      if (!type) return [`${method} ${nodeName}/${edge ?? ''}: ${name} is not a param`];
      return checkValue(value, type, `${method} ${nodeName}/${edge ?? ''} ${name}`, wire);
    });
  }

  /** The field names of a node (to check the `fields=` lists the connector asks for). */
  function fieldNames(nodeName: string): Set<string> {
    const spec = must(nodeName);
    return new Set([
      ...spec.fields.map((f) => f.name),
      ...spec.apis.filter((a) => a.method === 'GET' && a.endpoint).map((a) => a.endpoint as string),
    ]);
  }

  return { checkObject, checkRequest, fieldNames, node };
}
