/** What hmi knows about a schema field beyond its type. */
export interface HmiFieldMeta {
  /** The field holds protected health information or personal data: never logged or emitted. */
  phi?: boolean;
  /** The field holds a credential: never logged, emitted or put in an error. */
  secret?: boolean;
}

/**
 * Where canonical-model and connector-config schemas mark PHI and secret fields; the redactor reads
 * it. Keyed by the schema object itself (weakly, so schemas are still collected), which works for
 * any schema library: zod 4, valibot, or a hand-made Standard Schema. Like zod's global registry it
 * is shared by the process, but it holds only facts about schema objects, never per-instance state.
 */
export const hmiRegistry: {
  get(schema: object): HmiFieldMeta | undefined;
  add(schema: object, meta: HmiFieldMeta): void;
} = (() => {
  const marks = new WeakMap<object, HmiFieldMeta>();
  return { get: (schema) => marks.get(schema), add: (schema, meta) => void marks.set(schema, meta) };
})();

/** Marks a schema (zod, valibot, any object schema) as holding patient data (PHI). Returns the same schema. */
export function phi<T extends object>(schema: T): T {
  hmiRegistry.add(schema, { ...hmiRegistry.get(schema), phi: true });
  return schema;
}

/** Marks a schema (zod, valibot, any object schema) as holding a credential. Returns the same schema. */
export function secret<T extends object>(schema: T): T {
  hmiRegistry.add(schema, { ...hmiRegistry.get(schema), secret: true });
  return schema;
}

/** A schema's structure, read from zod 4 (`_zod.def`) or valibot 1 (`kind: 'schema'`) internals. */
export type SchemaNode =
  | { kind: 'object'; shape: Record<string, object>; open: boolean }
  | { kind: 'wrapper'; inner: object }
  | { kind: 'array'; element: object }
  | { kind: 'union'; options: object[] }
  | { kind: 'record'; value: object }
  | { kind: 'other' };

type Loose = Record<string, unknown>;

/** Reads what a schema is made of, for zod 4 and valibot 1 schemas; `other` for anything else. */
export function schemaNode(schema: object): SchemaNode {
  const zodDef = (schema as { _zod?: { def?: Loose } })._zod?.def;
  if (zodDef) {
    switch (zodDef.type) {
      case 'object': {
        const catchall = zodDef.catchall as { _zod?: { def?: { type?: string } } } | undefined;
        return {
          kind: 'object',
          shape: zodDef.shape as Record<string, object>,
          open: !!catchall && catchall._zod?.def?.type !== 'never',
        };
      }
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'catch':
        return { kind: 'wrapper', inner: zodDef.innerType as object };
      case 'pipe':
        return { kind: 'wrapper', inner: zodDef.in as object };
      case 'array':
        return { kind: 'array', element: zodDef.element as object };
      case 'union':
        return { kind: 'union', options: zodDef.options as object[] };
      case 'record':
        return { kind: 'record', value: zodDef.valueType as object };
      default:
        return { kind: 'other' };
    }
  }
  const v = schema as Loose;
  if (v.kind !== 'schema' || typeof v.type !== 'string') return { kind: 'other' };
  switch (v.type) {
    case 'object':
    case 'strict_object':
      return { kind: 'object', shape: v.entries as Record<string, object>, open: false };
    case 'loose_object':
    case 'object_with_rest':
      return { kind: 'object', shape: v.entries as Record<string, object>, open: true };
    case 'optional':
    case 'exact_optional':
    case 'nullable':
    case 'nullish':
    case 'non_optional':
    case 'non_nullable':
    case 'non_nullish':
      return { kind: 'wrapper', inner: v.wrapped as object };
    case 'array':
      return { kind: 'array', element: v.item as object };
    case 'union':
    case 'variant':
      return { kind: 'union', options: v.options as object[] };
    case 'record':
      return { kind: 'record', value: v.value as object };
    default:
      // valibot's pipe is the first schema with its actions (`pipe: [schema, ...actions]`).
      if (Array.isArray(v.pipe) && v.pipe[0] && v.pipe[0] !== schema) return { kind: 'wrapper', inner: v.pipe[0] as object };
      return { kind: 'other' };
  }
}

/** A valibot pipe keeps the marked base schema as its first item: look through it. */
function innerOf(schema: object): object | undefined {
  const node = schemaNode(schema);
  if (node.kind === 'wrapper') return node.inner;
  const pipe = (schema as Loose).pipe;
  return Array.isArray(pipe) && pipe[0] && pipe[0] !== schema ? (pipe[0] as object) : undefined;
}

/** Reads the hmi marks of a schema, looking through optional, nullable, default and pipe wrappers. */
export function fieldMeta(schema: object): HmiFieldMeta {
  let current: object | undefined = schema;
  for (let depth = 0; current && depth < 10; depth++) {
    const meta = hmiRegistry.get(current);
    if (meta) return meta;
    current = innerOf(current);
  }
  return {};
}

/**
 * Collects the names of object keys marked with `mark` in a schema, at any depth (objects, arrays,
 * optionals, unions, records), for zod 4 and valibot 1 schemas. The redactor uses these names.
 */
export function collectMarkedKeys(schema: object, mark: keyof HmiFieldMeta, into = new Set<string>()): Set<string> {
  const seen = new Set<object>();
  const visit = (s: object | undefined, depth: number): void => {
    if (!s || seen.has(s) || depth > 32) return;
    seen.add(s);
    const node = schemaNode(s);
    switch (node.kind) {
      case 'object':
        for (const [key, child] of Object.entries(node.shape)) {
          if (fieldMeta(child)[mark]) into.add(key);
          visit(child, depth + 1);
        }
        break;
      case 'wrapper':
        visit(node.inner, depth + 1);
        break;
      case 'array':
        visit(node.element, depth + 1);
        break;
      case 'union':
        for (const option of node.options) visit(option, depth + 1);
        break;
      case 'record':
        visit(node.value, depth + 1);
        break;
      default: {
        const inner = innerOf(s);
        if (inner) visit(inner, depth + 1);
      }
    }
  };
  visit(schema, 0);
  return into;
}
