import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createFhirValidator,
  createJsonSchemaValidator,
  createSpecCache,
  SpecValidationError,
  validateFhirResource,
} from '@hmi/testing';
import { spec, specsDir } from './helpers/specs.js';

const cache = createSpecCache();
const fhir = createFhirValidator({ specsDir, cache });
const examplesDir = spec('fhir/r4/examples');
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.json') && !f.startsWith('_'))
  .sort();

describe('FHIR R4 validation against the official schema', () => {
  it('finds the official examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(100);
  });

  it.each(examples)('official example %s validates', (file) => {
    const resource = JSON.parse(readFileSync(join(examplesDir, file), 'utf8'));
    const result = fhir.validateResource(resource);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  const patient = () => JSON.parse(readFileSync(join(examplesDir, 'Patient-example.json'), 'utf8'));

  it('a Patient with a wrong gender code, a non-array name and an unknown field fails, with paths', () => {
    const broken = { ...patient(), gender: 'unknown-gender', name: { family: 'الحربي' }, favouriteColour: 'blue' };
    const result = validateFhirResource(broken, { specsDir, cache });
    expect(result.valid).toBe(false);
    const paths = result.errors.map((e) => e.path);
    expect(paths).toContain('gender');
    expect(paths).toContain('name');
    expect(paths).toContain('favouriteColour');
    expect(result.errors.find((e) => e.path === 'gender')!.message).toMatch(/"male", "female", "other", "unknown"/);
  });

  it('a Patient with a malformed birthDate fails on the FHIR date pattern', () => {
    const result = fhir.validateResource({ ...patient(), birthDate: '31/12/1990' });
    expect(result.valid).toBe(false);
    expect(result.errors[0]!.path).toBe('birthDate');
  });

  it('issue messages never quote the offending value (it may be patient data)', () => {
    const result = fhir.validateResource({ resourceType: 'Patient', birthDate: 'فاطمة-1990', gender: '+966555123456' });
    const text = JSON.stringify(result.errors);
    expect(text).not.toContain('فاطمة');
    expect(text).not.toContain('+966555123456');
  });

  it('a resource inside a Bundle is checked too', () => {
    const bundle = JSON.parse(readFileSync(join(examplesDir, 'Bundle-bundle-example.json'), 'utf8'));
    bundle.entry[0].resource.subjectt = { reference: 'Patient/example' }; // a misspelt element
    expect(fhir.validateResource(bundle).valid).toBe(false);
  });

  it('refuses non-resources and unknown resource types with a clear issue', () => {
    expect(fhir.validateResource(null).errors).toEqual([{ path: '(root)', message: 'must be a FHIR resource object' }]);
    expect(fhir.validateResource({ id: 'x' }).errors).toEqual([{ path: 'resourceType', message: 'is required' }]);
    expect(fhir.validateResource({ resourceType: 'Spaceship' }).errors[0]!.message).toMatch(/not a resource type/);
    expect(fhir.validateResource({ resourceType: '__proto__' }).valid).toBe(false);
  });

  it('assertValidResource throws a readable SpecValidationError', () => {
    let error: unknown;
    try {
      fhir.assertValidResource({ resourceType: 'Patient', active: 'yes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecValidationError);
    expect((error as Error).message).toMatch(/active: must be boolean/);
  });

  it('the cache returns the same validator and the schema file is parsed once', () => {
    expect(createFhirValidator({ specsDir, cache })).toBe(fhir);
    expect([...cache.documents.keys()].filter((k) => k.endsWith('fhir.schema.json'))).toHaveLength(1);
  });

  it('the two definitions the schema lacks are added without touching the cached document', () => {
    expect(fhir.schema.has('#/definitions/Resource')).toBe(true);
    expect(fhir.schema.validate('12345678901234567890', '#/definitions/integer64').valid).toBe(true);
    expect(fhir.schema.validate('12a', '#/definitions/integer64').valid).toBe(false);
    const raw = cache.documents.get(spec('fhir/r4/fhir.schema.json')) as { definitions: Record<string, unknown> };
    expect(raw.definitions.Resource).toBeUndefined();
  });
});

describe('createJsonSchemaValidator', () => {
  it('validates against a definition of an in-memory 2020-12 schema', () => {
    const v = createJsonSchemaValidator({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $defs: { phone: { type: 'string', pattern: '^\\+[1-9]\\d{6,14}$' } },
      type: 'object',
      properties: { phone: { $ref: '#/$defs/phone' } },
      required: ['phone'],
    });
    expect(v.validate({ phone: '+966555123456' }).valid).toBe(true);
    expect(v.validate({ phone: '0555' }).errors).toEqual([{ path: 'phone', message: expect.stringMatching(/pattern/) }]);
    expect(v.validate({}).errors).toEqual([{ path: 'phone', message: 'is required' }]);
    expect(v.validate('+966555123456', '#/$defs/phone').valid).toBe(true);
    expect(() => v.validate({}, '#/$defs/missing')).toThrow(/nothing at #\/\$defs\/missing/);
  });
});
