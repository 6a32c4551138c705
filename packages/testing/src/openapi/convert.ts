/**
 * Turns OpenAPI 3.0 schema objects into JSON Schema that Ajv understands: `nullable: true` becomes
 * a `null` type (or an `anyOf` with `{ type: 'null' }` when there is no `type`), and draft-04
 * style boolean `exclusiveMinimum`/`exclusiveMaximum` become numbers. Returns a converted copy;
 * the input (possibly a cached, shared document) is never modified.
 *
 * OpenAPI 3.1 schema objects are JSON Schema 2020-12 already and are used as they are.
 */
export function convertOpenApi30(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convertOpenApi30);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) out[key] = convertOpenApi30(child);
  convertExclusive(out, 'exclusiveMinimum', 'minimum');
  convertExclusive(out, 'exclusiveMaximum', 'maximum');
  if (!('nullable' in out)) return out;
  const { nullable, ...rest } = out;
  if (nullable !== true) return rest;
  return addNull(rest);
}

function convertExclusive(schema: Record<string, unknown>, exclusive: string, inclusive: string): void {
  const flag = schema[exclusive];
  if (typeof flag !== 'boolean') return;
  if (flag && typeof schema[inclusive] === 'number') {
    schema[exclusive] = schema[inclusive];
    delete schema[inclusive];
  } else {
    delete schema[exclusive];
  }
}

function addNull(schema: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'] };
  if (Array.isArray(schema.type)) return schema.type.includes('null') ? schema : { ...schema, type: [...schema.type, 'null'] };
  // anyOf / oneOf / allOf / $ref without a type: null is one more alternative.
  return { anyOf: [schema, { type: 'null' }] };
}
