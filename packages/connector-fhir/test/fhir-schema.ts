import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createFhirValidator, type FhirValidator, findSpecsDir } from '@hmi/testing';

// The FHIR R4 schema, examples and corpora are read in place at test time (never copied into the
// package), found by @hmi/testing's `findSpecsDir`: `HMI_SPECS_DIR` points elsewhere when needed.
const SPECS = findSpecsDir(import.meta.url);
export const FHIR_EXAMPLES = join(SPECS, 'fhir', 'r4', 'examples');

let validator: FhirValidator | undefined;

/** @hmi/testing's FHIR validator: the official R4 JSON schema, per `#/definitions/<Type>`. */
function fhir(): FhirValidator {
  validator ??= createFhirValidator({ specsDir: SPECS });
  return validator;
}

/** Validates a resource against the FHIR R4 schema; returns the errors (empty when valid). */
export function fhirSchemaErrors(resource: unknown): string[] {
  const result = fhir().validateResource(resource);
  return result.valid ? [] : result.errors.map((e) => `${e.path} ${e.message}`);
}

/** Compiles the schema up front (slow: call it from a `beforeAll` with a long timeout). */
export function warmFhirSchema(): void {
  for (const type of ['Patient', 'Condition', 'Appointment']) fhirSchemaErrors({ resourceType: type });
}

/** Every official example file whose name starts with `prefix` (e.g. `Patient-`). */
export function officialExamples(prefix: string): Array<{ file: string; resource: Record<string, unknown> }> {
  return readdirSync(FHIR_EXAMPLES)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, resource: JSON.parse(readFileSync(join(FHIR_EXAMPLES, file), 'utf8')) }));
}

/** A corpus folder (`shared/corpora/fhir/<name>`, beside the specs; `HMI_CORPORA_DIR` overrides). */
export function fhirCorpusDir(name: string): string {
  const base = process.env.HMI_CORPORA_DIR ?? join(dirname(SPECS), 'corpora');
  const dir = join(base, 'fhir', name);
  if (!statSync(dir).isDirectory()) throw new Error(`no FHIR corpus at ${dir}`);
  return dir;
}
