import { join } from 'node:path';
import { type SpecValidationResult, SpecValidationError } from '../openapi/errors.js';
import { type SpecCache, toAbsolutePath } from '../openapi/spec-cache.js';
import { findSpecsDir } from '../specs-dir.js';
import { createJsonSchemaValidator, type JsonSchemaValidator } from './json-schema-validator.js';

/** Where the FHIR R4 schema lives below the specs folder. */
export const FHIR_R4_SCHEMA = 'fhir/r4/fhir.schema.json';

/**
 * Definitions the Medplum build of the FHIR R4 schema refers to but lacks (see SOURCES.md in
 * the specs folder): `Resource` (any resource) and `integer64` (an R5 type: a decimal integer
 * carried as a JSON string).
 */
export const FHIR_MISSING_DEFINITIONS: Record<string, unknown> = {
  Resource: {
    description: 'Any FHIR resource (added by @hmi/testing: the schema refers to it without defining it)',
    type: 'object',
    properties: { resourceType: { type: 'string' } },
    required: ['resourceType'],
  },
  integer64: {
    description: 'A 64-bit integer as a JSON string (added by @hmi/testing)',
    type: 'string',
    pattern: '^-?([0]|([1-9][0-9]*))$',
  },
};

/** Options of the FHIR validators. */
export interface FhirValidatorOptions {
  /** The FHIR JSON schema file. Default `<specsDir>/fhir/r4/fhir.schema.json`. */
  schemaPath?: string | URL;
  /** The specs folder; found with {@link findSpecsDir} when neither this nor `schemaPath` is given. */
  specsDir?: string;
  /** Reuse the parsed schema and compiled validators across calls. */
  cache?: SpecCache;
}

/** Validates FHIR R4 resources against the official JSON schema. */
export interface FhirValidator {
  /** Validates against `#/definitions/<resource.resourceType>`. */
  validateResource(resource: unknown): SpecValidationResult;
  /** Like validateResource; throws a {@link SpecValidationError} listing every issue. */
  assertValidResource(resource: unknown): void;
  /** The underlying JSON Schema validator (for datatypes: `validate(x, '#/definitions/HumanName')`). */
  readonly schema: JsonSchemaValidator;
}

/**
 * Creates a FHIR R4 validator: the draft-06 FHIR schema with its two missing definitions added,
 * each resource checked against its own `#/definitions/<ResourceType>` (not the root `oneOf`,
 * which Medplum's extra types make ambiguous). A resource type compiles on first use (the first
 * one takes a few seconds: the datatypes graph is large).
 */
export function createFhirValidator(options: FhirValidatorOptions = {}): FhirValidator {
  const path = toAbsolutePath(options.schemaPath ?? join(options.specsDir ?? findSpecsDir(), FHIR_R4_SCHEMA));
  const key = `fhir:${path}`;
  const cached = options.cache?.validators.get(key);
  if (cached) return cached as FhirValidator;
  const schema = createJsonSchemaValidator(path, { cache: options.cache, addDefinitions: FHIR_MISSING_DEFINITIONS });
  const validateResource = (resource: unknown): SpecValidationResult => {
    if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
      return { valid: false, errors: [{ path: '(root)', message: 'must be a FHIR resource object' }] };
    }
    const type = (resource as { resourceType?: unknown }).resourceType;
    if (typeof type !== 'string' || type === '')
      return { valid: false, errors: [{ path: 'resourceType', message: 'is required' }] };
    const ref = `#/definitions/${type}`;
    if (!/^[A-Z][A-Za-z0-9]*$/.test(type) || !schema.has(ref)) {
      return { valid: false, errors: [{ path: 'resourceType', message: 'is not a resource type of the FHIR schema' }] };
    }
    return schema.validate(resource, ref);
  };
  const validator: FhirValidator = {
    schema,
    validateResource,
    assertValidResource(resource) {
      const result = validateResource(resource);
      if (!result.valid) throw new SpecValidationError('resource does not match the FHIR R4 schema', result.errors);
    },
  };
  options.cache?.validators.set(key, validator);
  return validator;
}

/**
 * Validates one FHIR R4 resource against `#/definitions/<resourceType>` of the official schema.
 * Pass a `cache` (see {@link createSpecCache}) when validating many: without one every call loads
 * and compiles the schema again.
 */
export function validateFhirResource(resource: unknown, options: FhirValidatorOptions = {}): SpecValidationResult {
  return createFhirValidator(options).validateResource(resource);
}
