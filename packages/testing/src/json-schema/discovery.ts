import { ConfigError } from '@hmi/core';
import type { SpecValidationResult } from '../openapi/errors.js';
import { loadSpecFile } from '../openapi/spec-cache.js';
import { createJsonSchemaValidator, type JsonSchemaValidator } from './json-schema-validator.js';

/** A method of a Google API Discovery document, as the validator needs it. */
export interface DiscoveryMethod {
  /** `analyticsdata.properties.runReport`. */
  id: string;
  httpMethod: string;
  /** The path template below `rootUrl`, e.g. `v1beta/{+property}:runReport`. */
  path: string;
  /** Schema name of the request body, when the method has one. */
  request: string | undefined;
  /** Schema name of the response. */
  response: string | undefined;
  /** Path and query parameters with their `pattern`, `required` and `location`. */
  parameters: Record<string, { location: string; required?: boolean; pattern?: string; type?: string }>;
}

/** Validates requests and responses against a Google API Discovery document. */
export interface DiscoveryValidator {
  /** The generated JSON Schema (draft-07; one definition per Discovery schema). */
  readonly jsonSchema: JsonSchemaValidator;
  /** The method with this id; throws a ConfigError when the document has none. */
  method(id: string): DiscoveryMethod;
  /** Validates a value against a named schema (`RunReportRequest`). */
  validateSchema(name: string, data: unknown): SpecValidationResult;
  /** Validates a request body against the method's request schema. */
  validateRequest(methodId: string, body: unknown): SpecValidationResult;
  /** Validates a response body against the method's response schema. */
  validateResponse(methodId: string, body: unknown): SpecValidationResult;
  /**
   * Finds the method a request is for (by HTTP method and path) and checks the path parameters'
   * patterns. Undefined when no method of the document matches.
   */
  matchRequest(httpMethod: string, url: string): { method: DiscoveryMethod; params: Record<string, string> } | undefined;
}

/** Options of {@link discoveryToJsonSchema}. */
export interface DiscoveryConversionOptions {
  /**
   * Refuse properties a schema does not list (`additionalProperties: false`). Default true: Google
   * APIs refuse unknown fields ("Invalid JSON payload received. Unknown name"), so a request with
   * one is wrong.
   */
  closed?: boolean;
}

type Json = Record<string, unknown>;

// Discovery formats that are not JSON Schema formats: an int64 travels as a decimal string.
function convertNode(node: Json, closed: boolean): Json {
  const out: Json = {};
  if (typeof node.$ref === 'string') return { $ref: `#/definitions/${node.$ref}` };
  const type = node.type;
  if (type === 'any' || type === undefined) {
    // No constraint.
  } else if (type === 'string' && (node.format === 'int64' || node.format === 'uint64')) {
    out.type = 'string';
    out.pattern = node.format === 'int64' ? '^-?[0-9]+$' : '^[0-9]+$';
  } else {
    out.type = type;
  }
  if (Array.isArray(node.enum)) out.enum = node.enum;
  if (typeof node.pattern === 'string') out.pattern = node.pattern;
  if (type === 'integer' && node.format === 'int32') {
    out.minimum = -2147483648;
    out.maximum = 2147483647;
  }
  if (node.items && typeof node.items === 'object') out.items = convertNode(node.items as Json, closed);
  if (node.properties && typeof node.properties === 'object') {
    out.properties = Object.fromEntries(
      Object.entries(node.properties as Record<string, Json>).map(([k, v]) => [k, convertNode(v, closed)]),
    );
    if (closed && node.additionalProperties === undefined) out.additionalProperties = false;
  }
  if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    out.additionalProperties = convertNode(node.additionalProperties as Json, closed);
  }
  return out;
}

/**
 * Turns the `schemas` of a Google API Discovery document into a draft-07 JSON Schema whose
 * `definitions` are the Discovery schemas: `$ref: "X"` becomes `#/definitions/X`, `int64` strings
 * get a digits pattern, `int32` integers their range, `any` no constraint; descriptions are dropped.
 */
export function discoveryToJsonSchema(document: Json, options: DiscoveryConversionOptions = {}): Json {
  const schemas = document.schemas;
  if (typeof schemas !== 'object' || schemas === null) throw new ConfigError('not a Discovery document: no schemas');
  const closed = options.closed ?? true;
  const definitions = Object.fromEntries(
    Object.entries(schemas as Record<string, Json>).map(([name, schema]) => [name, convertNode(schema, closed)]),
  );
  return { $schema: 'http://json-schema.org/draft-07/schema#', definitions };
}

function collectMethods(resources: unknown, into: DiscoveryMethod[]): DiscoveryMethod[] {
  if (typeof resources !== 'object' || resources === null) return into;
  for (const resource of Object.values(resources as Record<string, Json>)) {
    for (const m of Object.values((resource.methods ?? {}) as Record<string, Json>)) {
      into.push({
        id: String(m.id),
        httpMethod: String(m.httpMethod),
        path: String(m.flatPath ?? m.path),
        request: (m.request as Json | undefined)?.$ref as string | undefined,
        response: (m.response as Json | undefined)?.$ref as string | undefined,
        parameters: (m.parameters ?? {}) as DiscoveryMethod['parameters'],
      });
    }
    collectMethods(resource.resources, into);
  }
  return into;
}

// `v1beta/properties/{propertiesId}:runReport` → a RegExp with one group per `{name}`.
function pathMatcher(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template
    .split(/(\{\+?[^}]+\})/)
    .map((part) => {
      const m = /^\{(\+?)([^}]+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[2] as string);
      return m[1] ? '(.+?)' : '([^/:]+)';
    })
    .join('');
  return { regex: new RegExp(`^/?${source}$`), names };
}

/**
 * Creates a validator for a Google API Discovery document (an object or a path to the JSON):
 * the schemas become JSON Schema (see {@link discoveryToJsonSchema}) checked with Ajv, and methods
 * are matched by HTTP method and `flatPath`.
 */
export function createDiscoveryValidator(
  document: Json | string | URL,
  options: DiscoveryConversionOptions = {},
): DiscoveryValidator {
  const doc = (typeof document === 'string' || document instanceof URL ? loadSpecFile(document) : document) as Json;
  const jsonSchema = createJsonSchemaValidator(discoveryToJsonSchema(doc, options));
  const methods = collectMethods(doc.resources, []);
  const servicePath = typeof doc.servicePath === 'string' ? doc.servicePath : '';
  const matchers = methods.map((method) => ({ method, ...pathMatcher(`${servicePath}${method.path}`) }));
  const method = (id: string): DiscoveryMethod => {
    const found = methods.find((m) => m.id === id);
    if (!found) throw new ConfigError(`the Discovery document has no method ${id}`);
    return found;
  };
  const validateSchema = (name: string, data: unknown): SpecValidationResult =>
    jsonSchema.validate(data, `#/definitions/${name}`);
  const bodyCheck = (name: string | undefined, body: unknown): SpecValidationResult =>
    name === undefined
      ? body === undefined || body === null
        ? { valid: true, errors: [] }
        : { valid: false, errors: [{ path: 'body', message: 'the method takes no body' }] }
      : validateSchema(name, body);
  return {
    jsonSchema,
    method,
    validateSchema,
    validateRequest: (id, body) => bodyCheck(method(id).request, body),
    validateResponse: (id, body) => bodyCheck(method(id).response, body),
    matchRequest(httpMethod, url) {
      const pathname = decodeURIComponent(new URL(url, 'https://x.invalid').pathname);
      for (const { method: m, regex, names } of matchers) {
        if (m.httpMethod !== httpMethod.toUpperCase()) continue;
        const match = regex.exec(pathname);
        if (!match) continue;
        const params = Object.fromEntries(names.map((n, i) => [n, match[i + 1] as string]));
        return { method: m, params };
      }
      return undefined;
    },
  };
}
