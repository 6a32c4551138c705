import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import draft6MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import addFormats from 'ajv-formats';

/** The shared specs folder, read at test time (never copied into the package). */
export const SPECS = fileURLToPath(new URL('../../../../shared/specs/', import.meta.url));
export const FHIR_EXAMPLES = `${SPECS}fhir/r4/examples/`;

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/**
 * Loads the official FHIR R4 JSON schema as SOURCES.md says: draft-06 meta-schema, the two
 * definitions Medplum's extra types need added, and validation per `#/definitions/<Type>`.
 */
function load(): Ajv {
  if (ajv) return ajv;
  const schema = JSON.parse(readFileSync(`${SPECS}fhir/r4/fhir.schema.json`, 'utf8'));
  schema.definitions.Resource ??= { type: 'object' };
  schema.definitions.integer64 ??= { type: 'string', pattern: '^-?([0]|([1-9][0-9]*))$' };
  delete schema.id;
  schema.$id = 'fhir';
  ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  (addFormats as unknown as { default?: typeof addFormats }).default
    ? (addFormats as unknown as { default: (a: Ajv) => void }).default(ajv)
    : (addFormats as unknown as (a: Ajv) => void)(ajv);
  ajv.addMetaSchema(draft6MetaSchema);
  ajv.addSchema(schema);
  return ajv;
}

/** Validates a resource against `#/definitions/<resourceType>`; returns the errors (empty when valid). */
export function fhirSchemaErrors(resource: unknown): string[] {
  const type = (resource as { resourceType?: unknown })?.resourceType;
  if (typeof type !== 'string') return ['resourceType missing'];
  let validate = validators.get(type);
  if (!validate) {
    const compiled = load().getSchema(`fhir#/definitions/${type}`);
    if (!compiled) return [`no schema definition for ${type}`];
    validate = compiled;
    validators.set(type, validate);
  }
  if (validate(resource)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
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
    .map((file) => ({ file, resource: JSON.parse(readFileSync(`${FHIR_EXAMPLES}${file}`, 'utf8')) }));
}
