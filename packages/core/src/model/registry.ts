import { z } from 'zod';

/** What hmi knows about a schema field beyond its type. */
export interface HmiFieldMeta {
  /** The field holds protected health information or personal data: never logged or emitted. */
  phi?: boolean;
  /** The field holds a credential: never logged, emitted or put in an error. */
  secret?: boolean;
}

/**
 * The registry where canonical-model and connector-config schemas mark PHI and secret fields.
 * The redactor reads it; it is a zod registry, so the marks travel with the schema objects.
 */
export const hmiRegistry = z.registry<HmiFieldMeta>();

/** Marks a schema as holding patient data (PHI). Returns the same schema. */
export function phi<T extends z.ZodType>(schema: T): T {
  hmiRegistry.add(schema, { ...hmiRegistry.get(schema), phi: true });
  return schema;
}

/** Marks a schema as holding a credential. Returns the same schema. */
export function secret<T extends z.ZodType>(schema: T): T {
  hmiRegistry.add(schema, { ...hmiRegistry.get(schema), secret: true });
  return schema;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (let depth = 0; depth < 10; depth++) {
    const def = (current as unknown as { _zod: { def: { innerType?: z.ZodType; type: string } } })._zod.def;
    if (def.innerType && hmiRegistry.get(current) === undefined) current = def.innerType;
    else break;
  }
  return current;
}

/** Reads the hmi marks of a schema, looking through optional, nullable and default wrappers. */
export function fieldMeta(schema: z.ZodType): HmiFieldMeta {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; current && depth < 10; depth++) {
    const meta = hmiRegistry.get(current);
    if (meta) return meta;
    const inner: z.ZodType | undefined = (current as unknown as { _zod: { def: { innerType?: z.ZodType } } })._zod.def.innerType;
    current = inner;
  }
  return {};
}

/**
 * Collects the names of object keys marked with `mark` in a schema, at any depth (objects, arrays,
 * optionals, unions). The redactor uses these names.
 */
export function collectMarkedKeys(schema: z.ZodType, mark: keyof HmiFieldMeta, into = new Set<string>()): Set<string> {
  const seen = new Set<z.ZodType>();
  const visit = (s: z.ZodType): void => {
    if (seen.has(s)) return;
    seen.add(s);
    const base = unwrap(s);
    const def = (base as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
    if (def.type === 'object') {
      const shape = def.shape as Record<string, z.ZodType>;
      for (const [key, child] of Object.entries(shape)) {
        if (fieldMeta(child)[mark]) into.add(key);
        visit(child);
      }
    } else if (def.type === 'array') {
      visit(def.element as z.ZodType);
    } else if (def.type === 'union') {
      for (const option of def.options as z.ZodType[]) visit(option);
    } else if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') {
      visit(def.innerType as z.ZodType);
    } else if (def.type === 'record') {
      visit(def.valueType as z.ZodType);
    }
  };
  visit(schema);
  return into;
}
