import { ConfigError } from '@hmi/core';
import type { ValidateFunction } from 'ajv';
import { decodeFormBody } from '../form.js';
import { mediaType } from '../server/capture.js';
import { type AjvInstance, createAjv } from './ajv.js';
import { convertOpenApi30 } from './convert.js';
import { formatAjvErrors, SpecValidationError, type SpecValidationIssue, type SpecValidationResult } from './errors.js';
import { indexPaths, matchPath, type PathEntry } from './paths.js';
import { isOpenApiDocument, loadOpenApiSpec, type OpenApiDocument, type SpecCache, toAbsolutePath } from './spec-cache.js';

/** A request to check against the description. A {@link CapturedCall} fits as it is. */
export interface SpecRequest {
  method: string;
  /** Absolute or path-only URL, query included. Only the path and query are compared. */
  url: string;
  headers?: Record<string, string> | Headers;
  /** A parsed body (object), a raw string, or URLSearchParams. */
  body?: unknown;
  /** The body exactly as sent; preferred over `body` when present. */
  rawBody?: string;
}

/** A response to check against the description. */
export interface SpecResponse {
  method: string;
  url: string;
  status: number;
  headers?: Record<string, string> | Headers;
  /** A parsed body or a raw string. */
  body?: unknown;
}

/** The operation a request was matched to. */
export interface MatchedOperation {
  method: string;
  /** The path template, e.g. `/2010-04-01/Accounts/{AccountSid}/Messages.json`. */
  path: string;
  operationId: string | undefined;
  /** Path parameters read from the URL. */
  params: Record<string, string>;
}

/** The result of validating against an OpenAPI description. */
export interface OpenApiValidationResult extends SpecValidationResult {
  /** The operation matched, when one was. */
  operation?: MatchedOperation;
}

/** Options of {@link createOpenApiValidator}. */
export interface OpenApiValidatorOptions {
  /** Reuse parsed files and validators (when `spec` is a path). */
  cache?: SpecCache;
  /** Accept query parameters the operation does not declare. Default false: a typo is an error. */
  allowUnknownQueryParameters?: boolean;
  /**
   * Treat every object schema that names `properties` but says nothing of `additionalProperties`
   * as closed, so a misspelt field (`customArgs` for `custom_args`) fails. For descriptions that
   * leave objects open (SendGrid's); free-form maps without `properties` stay open. Default false.
   */
  closeObjects?: boolean;
  /**
   * Vendor formats Ajv does not know, or overrides of standard ones, by name: Twilio's
   * `phone-number` and `date-time-rfc-2822`, say. Unknown formats are otherwise ignored.
   */
  formats?: Readonly<Record<string, RegExp | ((value: string) => boolean)>>;
  /** Check that some security requirement's credentials are present. Default true. */
  checkSecurity?: boolean;
}

/** Validates requests and responses against one OpenAPI 3.0 or 3.1 description. */
export interface OpenApiValidator {
  readonly document: OpenApiDocument;
  /** `3.0` or `3.1`. */
  readonly version: '3.0' | '3.1';
  /** The operation a method and URL belong to, if the description has it. */
  findOperation(method: string, url: string): MatchedOperation | undefined;
  /** Checks path, query and header parameters, credentials and the body. */
  validateRequest(request: SpecRequest): OpenApiValidationResult;
  /** Checks that the status is documented and the body matches its schema. */
  validateResponse(response: SpecResponse): OpenApiValidationResult;
  /**
   * Validates a value against the schema at a JSON pointer in the description, e.g.
   * `/components/schemas/payment_intent`. With `coerce`, strings are read as the schema's types
   * (for decoded form bodies and query strings); else values are checked as they are (JSON).
   */
  validateSchema(pointer: string, value: unknown, options?: { coerce?: boolean }): SpecValidationResult;
  /** `validateSchema('/components/schemas/<name>', value)`. */
  validateComponent(name: string, value: unknown): SpecValidationResult;
  /** Like validateRequest; throws a {@link SpecValidationError} listing every issue. */
  assertValidRequest(request: SpecRequest): void;
  /** Like validateResponse; throws a {@link SpecValidationError} listing every issue. */
  assertValidResponse(response: SpecResponse): void;
}

const DOC_ID = 'hmi:openapi-document';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const IGNORED_HEADER_PARAMS = new Set(['accept', 'content-type', 'authorization']);

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schemaPointer: string | undefined;
  schema: Json | undefined;
  explode: boolean;
  style: string;
}

const escapePointer = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function headersToRecord(headers: SpecRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers) {
    headers.forEach((v, k) => {
      out[k.toLowerCase()] = v;
    });
  } else for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = String(v);
  return out;
}

function isJsonType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json') || type === '*/*';
}

/**
 * Creates a validator for an OpenAPI 3.0 or 3.1 description (a parsed document or a path to a
 * JSON/YAML file). 3.0 schemas are converted (`nullable`, boolean exclusive bounds) and checked
 * with Ajv's draft-07 mode, 3.1 schemas with Ajv's 2020-12 mode. Schemas compile lazily, one
 * operation at a time, so Stripe's 4 MB description costs only what a test touches.
 *
 * Request paths are matched against the templates after stripping the servers' base path;
 * the origin is ignored (tests run against a test server). Form bodies and query strings are
 * decoded with bracket notation (`metadata[key]=v`, `types[0]=card`) and coerced to the schema's
 * types before validation, as the vendor's server would read them.
 */
export function createOpenApiValidator(
  spec: OpenApiDocument | string | URL,
  options: OpenApiValidatorOptions = {},
): OpenApiValidator {
  const cacheKey =
    (typeof spec === 'string' || spec instanceof URL) && options.formats === undefined
      ? `openapi:${toAbsolutePath(spec)}:${options.allowUnknownQueryParameters === true}:${options.checkSecurity !== false}:${options.closeObjects === true}`
      : undefined;
  if (cacheKey && options.cache?.validators.has(cacheKey)) return options.cache.validators.get(cacheKey) as OpenApiValidator;
  const document = typeof spec === 'string' || spec instanceof URL ? loadOpenApiSpec(spec, { cache: options.cache }) : spec;
  if (!isOpenApiDocument(document)) throw new ConfigError('not an OpenAPI 3.0 or 3.1 document (no "openapi: 3.x" field)');
  const validator = buildValidator(document, options);
  if (cacheKey) options.cache?.validators.set(cacheKey, validator);
  return validator;
}

function buildValidator(document: OpenApiDocument, options: OpenApiValidatorOptions): OpenApiValidator {
  const version = document.openapi.startsWith('3.1') ? '3.1' : '3.0';
  const title = document.info?.title ?? 'the OpenAPI description';
  let prepared: Json | undefined;
  let entries: PathEntry[] | undefined;
  const ajvs = new Map<'strict' | 'coerce', AjvInstance>();
  const compiled = new Map<string, ValidateFunction>();

  const preparedDoc = () =>
    (prepared ??= (() => {
      const converted = (version === '3.0' ? convertOpenApi30(document) : document) as Json;
      return options.closeObjects ? (closeObjects(converted) as Json) : converted;
    })());
  const pathEntries = () => (entries ??= indexPaths(document));

  function ajvFor(kind: 'strict' | 'coerce'): AjvInstance {
    let ajv = ajvs.get(kind);
    if (!ajv) {
      ajv = createAjv(version === '3.1' ? '2020-12' : 'draft-07', kind === 'coerce' ? { coerceTypes: 'array' } : {});
      for (const [name, format] of Object.entries(options.formats ?? {})) ajv.addFormat(name, format);
      ajv.addSchema(preparedDoc(), DOC_ID);
      ajvs.set(kind, ajv);
    }
    return ajv;
  }

  /** Compiles a schema that lives at `pointer` in the document (refs resolve in the document). */
  function schemaAt(kind: 'strict' | 'coerce', pointer: string): ValidateFunction {
    const key = `${kind} ${pointer}`;
    let fn = compiled.get(key);
    if (!fn) {
      fn = ajvFor(kind).compile({ $ref: `${DOC_ID}#${pointer}` });
      compiled.set(key, fn);
    }
    return fn;
  }

  /** Compiles an object schema whose properties point at parameter schemas in the document. */
  function parametersSchema(key: string, params: Parameter[], nameOf: (p: Parameter) => string): ValidateFunction {
    const cacheKey = `coerce params ${key}`;
    let fn = compiled.get(cacheKey);
    if (!fn) {
      const properties: Json = {};
      const required: string[] = [];
      for (const p of params) {
        properties[nameOf(p)] = p.schemaPointer ? { $ref: `${DOC_ID}#${p.schemaPointer}` } : {};
        if (p.required) required.push(nameOf(p));
      }
      fn = ajvFor('coerce').compile({ type: 'object', properties, required });
      compiled.set(cacheKey, fn);
    }
    return fn;
  }

  function get(pointer: string): unknown {
    let node: unknown = document;
    for (const raw of pointer.split('/').slice(1)) {
      const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (!isObject(node) && !Array.isArray(node)) return undefined;
      node = (node as Json)[part];
    }
    return node;
  }

  /** Follows `$ref`s of non-schema objects (parameters, request bodies, responses). */
  function resolve(value: unknown, pointer: string): { value: Json; pointer: string } | undefined {
    for (let depth = 0; depth < 20; depth++) {
      if (!isObject(value)) return undefined;
      const ref = value.$ref;
      if (typeof ref !== 'string') return { value, pointer };
      if (!ref.startsWith('#')) return undefined;
      pointer = ref.slice(1);
      value = get(pointer);
    }
    return undefined;
  }

  function locate(method: string, url: string) {
    const parsed = new URL(url, 'https://placeholder.invalid');
    const match = matchPath(pathEntries(), parsed.pathname);
    if (!match) return { parsed, match: undefined, operation: undefined, pointer: '' };
    const lower = method.toLowerCase();
    const pathPointer = `/paths/${escapePointer(match.entry.template)}`;
    const operation = isObject(match.entry.item[lower]) ? (match.entry.item[lower] as Json) : undefined;
    return { parsed, match, operation, pointer: `${pathPointer}/${lower}`, pathPointer };
  }

  function describe(method: string, url: string): MatchedOperation | undefined {
    const { match, operation } = locate(method, url);
    if (!match || !operation) return undefined;
    return {
      method: method.toUpperCase(),
      path: match.entry.template,
      operationId: typeof operation.operationId === 'string' ? operation.operationId : undefined,
      params: match.params,
    };
  }

  function parametersOf(pathPointer: string, opPointer: string): Parameter[] {
    const byKey = new Map<string, Parameter>();
    for (const base of [pathPointer, opPointer]) {
      const list = get(`${base}/parameters`);
      if (!Array.isArray(list)) continue;
      list.forEach((_, i) => {
        const resolved = resolve(list[i], `${base}/parameters/${i}`);
        if (!resolved) return;
        const p = resolved.value;
        if (typeof p.name !== 'string' || typeof p.in !== 'string') return;
        const schemaRes = resolve(p.schema, `${resolved.pointer}/schema`);
        const style = typeof p.style === 'string' ? p.style : p.in === 'query' || p.in === 'cookie' ? 'form' : 'simple';
        byKey.set(`${p.in}:${p.name}`, {
          name: p.name,
          in: p.in as Parameter['in'],
          required: p.required === true || p.in === 'path',
          schemaPointer: p.schema === undefined ? undefined : `${resolved.pointer}/schema`,
          schema: schemaRes?.value,
          explode: typeof p.explode === 'boolean' ? p.explode : style === 'form',
          style,
        });
      });
    }
    return [...byKey.values()];
  }

  function checkParameters(
    errors: SpecValidationIssue[],
    key: string,
    params: Parameter[],
    pathParams: Record<string, string>,
    parsed: URL,
    headers: Record<string, string>,
  ): void {
    const inPath = params.filter((p) => p.in === 'path');
    if (inPath.length) {
      const fn = parametersSchema(`${key} path`, inPath, (p) => p.name);
      if (!fn({ ...pathParams })) errors.push(...formatAjvErrors('path', fn.errors));
    }
    const inQuery = params.filter((p) => p.in === 'query');
    const query: Json = decodeFormBody(parsed.searchParams);
    for (const p of inQuery) {
      const value = query[p.name];
      const isArray = p.schema?.type === 'array' || (Array.isArray(p.schema?.type) && p.schema.type.includes('array'));
      if (typeof value === 'string' && isArray && !p.explode) {
        const separator = p.style === 'spaceDelimited' ? ' ' : p.style === 'pipeDelimited' ? '|' : ',';
        query[p.name] = value.split(separator);
      }
    }
    if (options.allowUnknownQueryParameters !== true) {
      const known = new Set(inQuery.map((p) => p.name));
      for (const name of Object.keys(query))
        if (!known.has(name)) errors.push({ path: `query.${name}`, message: 'is not a parameter of this operation' });
    }
    if (inQuery.length) {
      const fn = parametersSchema(`${key} query`, inQuery, (p) => p.name);
      if (!fn(structuredClone(query))) errors.push(...formatAjvErrors('query', fn.errors));
    }
    const inHeader = params.filter((p) => p.in === 'header' && !IGNORED_HEADER_PARAMS.has(p.name.toLowerCase()));
    if (inHeader.length) {
      const fn = parametersSchema(`${key} header`, inHeader, (p) => p.name.toLowerCase());
      if (!fn({ ...headers })) errors.push(...formatAjvErrors('header', fn.errors));
    }
  }

  function checkSecurity(errors: SpecValidationIssue[], operation: Json, parsed: URL, headers: Record<string, string>): void {
    const requirements = (operation.security ?? document.security) as Array<Record<string, unknown>> | undefined;
    if (!Array.isArray(requirements) || requirements.length === 0) return;
    const schemes = (document.components?.securitySchemes ?? {}) as Record<string, unknown>;
    const authorization = headers.authorization ?? '';
    const satisfied = (name: string): boolean => {
      const scheme = resolve(schemes[name], `/components/securitySchemes/${escapePointer(name)}`)?.value;
      if (!scheme) return true;
      if (scheme.type === 'http') return authorization.toLowerCase().startsWith(`${String(scheme.scheme).toLowerCase()} `);
      if (scheme.type === 'apiKey') {
        const keyName = String(scheme.name);
        if (scheme.in === 'header') return headers[keyName.toLowerCase()] !== undefined;
        if (scheme.in === 'query') return parsed.searchParams.has(keyName);
        if (scheme.in === 'cookie') return (headers.cookie ?? '').split(/;\s*/).some((c) => c.startsWith(`${keyName}=`));
      }
      if (scheme.type === 'oauth2' || scheme.type === 'openIdConnect') return /^bearer /i.test(authorization);
      return true;
    };
    if (requirements.some((r) => Object.keys(r).every(satisfied))) return;
    const names = requirements.map((r) => Object.keys(r).join(' + ')).join(' | ');
    errors.push({ path: 'header.authorization', message: `no credentials for any security requirement (${names})` });
  }

  function pickMedia(content: Json, type: string | undefined): string | undefined {
    const keys = Object.keys(content);
    const normalized = new Map(keys.map((k) => [mediaType(k) ?? k, k]));
    if (type) {
      return normalized.get(type) ?? normalized.get(`${type.split('/')[0]}/*`) ?? normalized.get('*/*');
    }
    return keys.find((k) => isJsonType(mediaType(k) ?? k)) ?? (keys.length === 1 ? keys[0] : undefined);
  }

  function readBody(body: unknown, raw: string | undefined, type: string): { present: boolean; value?: unknown; error?: string } {
    let value: unknown = raw !== undefined ? raw : body;
    if (value === undefined || value === null || value === '') return { present: false };
    if (value instanceof Uint8Array || value instanceof ArrayBuffer) value = new TextDecoder().decode(value);
    const form = type === 'application/x-www-form-urlencoded';
    if (value instanceof URLSearchParams) return { present: true, value: decodeFormBody(value) };
    if (typeof value === 'string') {
      if (form) return { present: true, value: decodeFormBody(value) };
      if (isJsonType(type)) {
        try {
          return { present: true, value: JSON.parse(value) };
        } catch {
          return { present: true, error: 'is not valid JSON' };
        }
      }
      return { present: true, value };
    }
    if (form && isObject(value) && Object.keys(value).some((k) => k.includes('['))) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(value)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, String(item));
      return { present: true, value: decodeFormBody(params) };
    }
    return { present: true, value };
  }

  function checkBody(
    errors: SpecValidationIssue[],
    content: Json,
    contentPointer: string,
    declaredType: string | undefined,
    body: { raw?: string; value: unknown },
    coerceForms: boolean,
  ): void {
    const key = pickMedia(content, declaredType);
    if (!key) {
      const expected = Object.keys(content).join(', ');
      errors.push({
        path: 'header.content-type',
        message: declaredType
          ? `"${declaredType}" is not one of the documented media types (${expected})`
          : `is missing (expected ${expected})`,
      });
      return;
    }
    const type = mediaType(key) ?? key;
    const read = readBody(body.value, body.raw, declaredType ?? type);
    if (read.error) {
      errors.push({ path: 'body', message: read.error });
      return;
    }
    if (!read.present) return;
    if (type.startsWith('multipart/') || !isObject(content[key]) || (content[key] as Json).schema === undefined) return;
    const form = type === 'application/x-www-form-urlencoded';
    const fn = schemaAt(form && coerceForms ? 'coerce' : 'strict', `${contentPointer}/${escapePointer(key)}/schema`);
    if (!fn(form ? structuredClone(read.value) : read.value)) errors.push(...formatAjvErrors('body', fn.errors));
  }

  function notFound(method: string, url: string, match: unknown, errors: SpecValidationIssue[]): OpenApiValidationResult {
    const { parsed, match: m } = locate(method, url);
    if (!match || !m) {
      errors.push({ path: 'url', message: `no path of ${title} matches ${parsed.pathname}` });
    } else {
      const documented = METHODS.filter((x) => isObject(m.entry.item[x])).map((x) => x.toUpperCase());
      errors.push({
        path: 'method',
        message: `${method.toUpperCase()} is not documented for ${m.entry.template} (documented: ${documented.join(', ')})`,
      });
    }
    return { valid: false, errors };
  }

  function validateRequest(request: SpecRequest): OpenApiValidationResult {
    const errors: SpecValidationIssue[] = [];
    const located = locate(request.method, request.url);
    if (!located.match || !located.operation) return notFound(request.method, request.url, located.match, errors);
    const { parsed, match, operation, pointer, pathPointer } = located;
    const headers = headersToRecord(request.headers);
    checkParameters(errors, pointer, parametersOf(pathPointer!, pointer), match.params, parsed, headers);
    if (options.checkSecurity !== false) checkSecurity(errors, operation, parsed, headers);
    const requestBody = resolve(operation.requestBody, `${pointer}/requestBody`);
    const declaredType = mediaType(headers['content-type']);
    const hasBody = readBody(request.body, request.rawBody, declaredType ?? 'application/json').present;
    if (requestBody) {
      const content = isObject(requestBody.value.content) ? requestBody.value.content : {};
      if (!hasBody) {
        if (requestBody.value.required === true) errors.push({ path: 'body', message: 'is required by the description' });
      } else {
        checkBody(
          errors,
          content,
          `${requestBody.pointer}/content`,
          declaredType,
          { raw: request.rawBody, value: request.body },
          true,
        );
      }
    } else if (hasBody && !['GET', 'HEAD', 'DELETE'].includes(request.method.toUpperCase())) {
      errors.push({ path: 'body', message: 'is sent but the description documents no request body' });
    }
    return { valid: errors.length === 0, errors, operation: describe(request.method, request.url) };
  }

  function validateResponse(response: SpecResponse): OpenApiValidationResult {
    const errors: SpecValidationIssue[] = [];
    const located = locate(response.method, response.url);
    if (!located.match || !located.operation) return notFound(response.method, response.url, located.match, errors);
    const { operation, pointer } = located;
    const responses = isObject(operation.responses) ? operation.responses : {};
    const status = String(response.status);
    const ranged = `${status[0]}XX`;
    const key =
      Object.keys(responses).find((k) => k === status) ??
      Object.keys(responses).find((k) => k.toUpperCase() === ranged) ??
      (responses.default !== undefined ? 'default' : undefined);
    if (!key) {
      errors.push({
        path: 'status',
        message: `${status} is not a documented response (documented: ${Object.keys(responses).join(', ')})`,
      });
      return { valid: false, errors, operation: describe(response.method, response.url) };
    }
    const resolved = resolve(responses[key], `${pointer}/responses/${escapePointer(key)}`);
    const content = resolved && isObject(resolved.value.content) ? resolved.value.content : undefined;
    const headers = headersToRecord(response.headers);
    const declaredType = mediaType(headers['content-type']);
    const present = readBody(response.body, undefined, declaredType ?? 'application/json').present;
    if (!content || Object.keys(content).length === 0) {
      if (present) errors.push({ path: 'body', message: `is sent but the description documents no body for ${status}` });
    } else if (!present) {
      errors.push({ path: 'body', message: `is missing; the description documents one for ${status}` });
    } else {
      checkBody(errors, content, `${resolved!.pointer}/content`, declaredType, { value: response.body }, false);
    }
    return { valid: errors.length === 0, errors, operation: describe(response.method, response.url) };
  }

  const subject = (kind: string, method: string, url: string) => {
    const path = new URL(url, 'https://placeholder.invalid').pathname;
    return `${kind} ${method.toUpperCase()} ${path} does not match ${title}`;
  };

  function validateSchema(pointer: string, value: unknown, opts: { coerce?: boolean } = {}): SpecValidationResult {
    if (get(pointer) === undefined) throw new ConfigError(`${title} has no schema at ${pointer}`);
    const fn = schemaAt(opts.coerce ? 'coerce' : 'strict', pointer);
    const valid = fn(structuredClone(value)) as boolean;
    return { valid, errors: valid ? [] : formatAjvErrors('value', fn.errors) };
  }

  return {
    document,
    version,
    findOperation: describe,
    validateSchema,
    validateComponent: (name, value) => validateSchema(`/components/schemas/${escapePointer(name)}`, value),
    validateRequest,
    validateResponse,
    assertValidRequest(request) {
      const result = validateRequest(request);
      if (!result.valid) throw new SpecValidationError(subject('request', request.method, request.url), result.errors);
    },
    assertValidResponse(response) {
      const result = validateResponse(response);
      if (!result.valid)
        throw new SpecValidationError(subject(`response ${response.status} to`, response.method, response.url), result.errors);
    },
  };
}

/** Closes object schemas that name properties and leave `additionalProperties` unsaid (examples untouched). */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'examples' || k === 'example' ? v : closeObjects(v);
  const composed = out.allOf !== undefined || out.anyOf !== undefined || out.oneOf !== undefined;
  if (out.type === 'object' && isObject(out.properties) && out.additionalProperties === undefined && !composed) {
    out.additionalProperties = false;
  }
  return out;
}
