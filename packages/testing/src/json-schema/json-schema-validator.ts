import { ConfigError } from '@hmi/core';
import type { ValidateFunction } from 'ajv';
import { type AjvInstance, createAjv } from '../openapi/ajv.js';
import { formatAjvErrors, SpecValidationError, type SpecValidationResult } from '../openapi/errors.js';
import { loadSpecFile, type SpecCache, toAbsolutePath } from '../openapi/spec-cache.js';

/** JSON Schema dialects the validator understands. */
export type JsonSchemaDialect = 'draft-06' | 'draft-07' | '2019-09' | '2020-12';

/** Options of {@link createJsonSchemaValidator}. */
export interface JsonSchemaValidatorOptions {
  /** The dialect; read from `$schema` by default (draft-07 when absent). */
  dialect?: JsonSchemaDialect;
  /**
   * Definitions to add where the schema lacks them (under `definitions`, or `$defs` for 2019-09
   * and 2020-12). Existing ones are kept. The schema itself is never modified.
   */
  addDefinitions?: Record<string, unknown>;
  /** Reuse the parsed file and the validator (when `schema` is a path). */
  cache?: SpecCache;
  /** Prefix of issue paths. Default none (`name[0].family`). */
  pathPrefix?: string;
}

/** Validates data against a JSON Schema document or one of its definitions. */
export interface JsonSchemaValidator {
  /** The schema as validated (with added definitions). */
  readonly schema: Record<string, unknown>;
  /**
   * Validates `data` against the schema, or against the part `ref` points at
   * (`#/definitions/Patient`). Each `ref` compiles once, on first use.
   */
  validate(data: unknown, ref?: string): SpecValidationResult;
  /** Like `validate`; throws a {@link SpecValidationError} listing every issue. */
  assertValid(data: unknown, ref?: string): void;
  /** True when the schema has something at `ref`. */
  has(ref: string): boolean;
}

const SCHEMA_KEY = 'hmi:json-schema';

function dialectOf(schema: Record<string, unknown>): JsonSchemaDialect {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (declared.includes('draft-06')) return 'draft-06';
  if (declared.includes('2019-09')) return '2019-09';
  if (declared.includes('2020-12')) return '2020-12';
  return 'draft-07';
}

function pointerGet(root: unknown, ref: string): unknown {
  let node = root;
  for (const raw of ref.replace(/^#/, '').split('/').slice(1)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

/**
 * Creates a validator for a JSON Schema (an object or a path to a JSON/YAML file), draft-06 to
 * 2020-12, with Ajv. A draft-04 style top-level `id` is dropped (Ajv 8 refuses it; it only names
 * the schema). Definitions compile lazily, one `ref` at a time.
 */
export function createJsonSchemaValidator(
  schema: Record<string, unknown> | string | URL,
  options: JsonSchemaValidatorOptions = {},
): JsonSchemaValidator {
  const fromFile = typeof schema === 'string' || schema instanceof URL;
  const cacheKey = fromFile
    ? `json-schema:${toAbsolutePath(schema)}:${JSON.stringify(Object.keys(options.addDefinitions ?? {}))}:${options.pathPrefix ?? ''}`
    : undefined;
  if (cacheKey && options.cache?.validators.has(cacheKey)) return options.cache.validators.get(cacheKey) as JsonSchemaValidator;
  const loaded = fromFile ? loadSpecFile(schema, { cache: options.cache }) : schema;
  if (typeof loaded !== 'object' || loaded === null || Array.isArray(loaded))
    throw new ConfigError('a JSON Schema must be an object');
  const dialect = options.dialect ?? dialectOf(loaded as Record<string, unknown>);
  const { id: _legacyId, ...root } = loaded as Record<string, unknown>;
  const defsKey = dialect === '2019-09' || dialect === '2020-12' ? '$defs' : 'definitions';
  if (options.addDefinitions) {
    const existing = (root[defsKey] ?? {}) as Record<string, unknown>;
    root[defsKey] = { ...options.addDefinitions, ...existing };
  }
  let ajv: AjvInstance | undefined;
  const compiled = new Map<string, ValidateFunction>();
  const compile = (ref: string): ValidateFunction => {
    let fn = compiled.get(ref);
    if (!fn) {
      if (!ajv) {
        // Draft-06 schemas run on Ajv's draft-07 engine: draft-07 only added keywords (if/then/
        // else, content*), and schemas are not checked against their meta-schema here.
        ajv = createAjv(dialect === 'draft-06' ? 'draft-07' : dialect);
        ajv.addSchema(root, SCHEMA_KEY);
      }
      if (ref !== '#' && pointerGet(root, ref) === undefined) throw new ConfigError(`the schema has nothing at ${ref}`);
      fn = ajv.compile({ $ref: `${SCHEMA_KEY}${ref}` });
      compiled.set(ref, fn);
    }
    return fn;
  };
  const validate = (data: unknown, ref = '#'): SpecValidationResult => {
    const fn = compile(ref);
    return fn(data)
      ? { valid: true, errors: [] }
      : { valid: false, errors: formatAjvErrors(options.pathPrefix ?? '', fn.errors) };
  };
  const validator: JsonSchemaValidator = {
    schema: root,
    validate,
    assertValid(data, ref = '#') {
      const result = validate(data, ref);
      if (!result.valid) throw new SpecValidationError(`data does not match the schema at ${ref}`, result.errors);
    },
    has: (ref) => pointerGet(root, ref) !== undefined,
  };
  if (cacheKey) options.cache?.validators.set(cacheKey, validator);
  return validator;
}
