import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// A small reader for the ARI's Swagger 1.2 descriptions (`rest-api/api-docs/*.json` in Asterisk's
// source). No maintained Swagger 1.2 validator exists for Node, and the subset ARI uses is small:
// models with typed properties (`string`, `int`, `long`, `double`, `boolean`, `Date`, `object`,
// `List[T]`, another model), `subTypes`, and operations with query/path/body parameters.

interface SwaggerProperty {
  type: string;
  required?: boolean;
  allowableValues?: { valueType: string; values?: string[] };
}
interface SwaggerModel {
  id: string;
  properties?: Record<string, SwaggerProperty>;
  subTypes?: string[];
}
interface SwaggerParameter {
  name: string;
  paramType: 'query' | 'path' | 'body' | 'header' | 'form';
  required?: boolean;
  dataType: string;
  allowableValues?: { valueType: string; values?: string[] };
}
interface SwaggerOperation {
  httpMethod: string;
  nickname: string;
  responseClass: string;
  parameters?: SwaggerParameter[];
}
interface SwaggerApi {
  path: string;
  operations: SwaggerOperation[];
}

/** One problem found by {@link AriSpec}: where, and what. */
export interface AriSpecIssue {
  path: string;
  message: string;
}

/** The ARI descriptions loaded from a folder; validates requests, models and events against them. */
export interface AriSpec {
  /** The model names known (Channel, Bridge, StasisStart, …). */
  readonly models: ReadonlySet<string>;
  /** Checks a value against a model (`Channel`, `StasisStart`, `List[Channel]`). */
  validateModel(type: string, value: unknown): AriSpecIssue[];
  /** Checks an event by its `type`; an event type the spec does not know is one issue. */
  validateEvent(event: unknown): AriSpecIssue[];
  /**
   * Checks a REST request (path without `/ari`, e.g. `/channels/abc`): the operation exists, every
   * required query parameter is present, no unknown one is sent, enumerated values are allowed.
   * Returns the operation's response class for {@link validateModel}, or undefined with issues.
   */
  validateRequest(method: string, path: string, query: URLSearchParams): { issues: AriSpecIssue[]; responseClass?: string };
}

const PRIMITIVES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  int: (v) => Number.isInteger(v),
  long: (v) => Number.isInteger(v),
  double: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  // ARI writes dates as `2026-12-03T18:49:06.123+0000`.
  Date: (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))),
  object: (v) => typeof v === 'object' && v !== null,
  void: () => true,
};
const MAX_DEPTH = 16;

/**
 * Loads every `*.json` ARI description in `dir` (e.g. `<findSpecsDir()>/asterisk/ari`). Read at
 * test time; nothing of the specs is bundled into the package.
 */
export function loadAriSpec(dir: string): AriSpec {
  const models = new Map<string, SwaggerModel>();
  const apis: { pattern: RegExp; api: SwaggerApi }[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      apis?: SwaggerApi[];
      models?: Record<string, SwaggerModel>;
    };
    for (const [name, model] of Object.entries(doc.models ?? {})) models.set(name, model);
    for (const api of doc.apis ?? []) {
      const pattern = new RegExp(`^${api.path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      apis.push({ pattern, api });
    }
  }

  const check = (type: string, value: unknown, path: string, issues: AriSpecIssue[], depth: number): void => {
    if (depth > MAX_DEPTH) return;
    const list = /^List\[(.+)\]$/.exec(type);
    if (list) {
      if (!Array.isArray(value)) issues.push({ path, message: `expected ${type}` });
      else for (const [i, item] of value.entries()) check(list[1]!, item, `${path}[${i}]`, issues, depth + 1);
      return;
    }
    const primitive = PRIMITIVES[type];
    if (primitive) {
      if (!primitive(value)) issues.push({ path, message: `expected ${type}` });
      return;
    }
    const model = models.get(type);
    if (!model) return; // a type the descriptions do not define (tolerated, as the vendor's own clients do)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({ path, message: `expected a ${type} object` });
      return;
    }
    const record = value as Record<string, unknown>;
    for (const [name, property] of Object.entries(allProperties(type))) {
      const at = path ? `${path}.${name}` : name;
      if (record[name] === undefined) {
        if (property.required) issues.push({ path: at, message: `${type}.${name} is required` });
        continue;
      }
      check(property.type, record[name], at, issues, depth + 1);
      const allowed = property.allowableValues?.values;
      if (allowed && property.allowableValues?.valueType === 'LIST' && !allowed.includes(String(record[name])))
        issues.push({ path: at, message: `not one of ${allowed.join(', ')}` });
    }
  };

  // Properties of a model plus those of its ancestors (Message → Event → StasisStart).
  const allProperties = (type: string): Record<string, SwaggerProperty> => {
    const own = models.get(type)?.properties ?? {};
    for (const [name, model] of models) {
      if (model.subTypes?.includes(type)) return { ...allProperties(name), ...own };
    }
    return own;
  };

  return {
    models: new Set(models.keys()),
    validateModel(type, value) {
      const issues: AriSpecIssue[] = [];
      check(type, value, '', issues, 0);
      return issues;
    },
    validateEvent(event) {
      const type = (event as { type?: unknown } | null)?.type;
      if (typeof type !== 'string' || !models.has(type)) return [{ path: 'type', message: `unknown event type ${String(type)}` }];
      const issues: AriSpecIssue[] = [];
      check(type, event, '', issues, 0);
      return issues;
    },
    validateRequest(method, path, query) {
      const found = apis.find((a) => a.pattern.test(path));
      const operation = found?.api.operations.find((o) => o.httpMethod === method.toUpperCase());
      if (!operation) return { issues: [{ path, message: `no ARI operation ${method} ${path}` }] };
      const issues: AriSpecIssue[] = [];
      const params = (operation.parameters ?? []).filter((p) => p.paramType === 'query');
      for (const p of params) {
        const value = query.get(p.name);
        if (value === null) {
          if (p.required) issues.push({ path: p.name, message: `query parameter ${p.name} is required` });
          continue;
        }
        const allowed = p.allowableValues?.values;
        if (allowed && p.allowableValues?.valueType === 'LIST' && !allowed.includes(value))
          issues.push({ path: p.name, message: `not one of ${allowed.join(', ')}` });
        if ((p.dataType === 'int' || p.dataType === 'long') && !/^-?\d+$/.test(value))
          issues.push({ path: p.name, message: `expected ${p.dataType}` });
      }
      // api_key is ARI's own authentication parameter, accepted on every operation.
      for (const name of query.keys()) {
        if (name !== 'api_key' && !params.some((p) => p.name === name))
          issues.push({ path: name, message: `unknown query parameter ${name} for ${operation.nickname}` });
      }
      return { issues, responseClass: operation.responseClass };
    },
  };
}
