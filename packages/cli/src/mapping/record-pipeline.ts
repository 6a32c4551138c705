import { ConfigError, ValidationError } from '@hmi/core';
import { tryNormalizePhone } from '@hmi/phone';
import type { IntegrationPointConfig } from '../config/schema.js';
import { importModule, moduleSpecifier } from '../connectors/registry.js';
import { getPath, pickAllowed, setPath } from './paths.js';

/** A mapper: a source record to what the destination takes, or undefined to skip it. */
export type Mapper = (record: unknown, context: { syncId: string; key: string }) => unknown | Promise<unknown>;

/** What a point does to each record before writing it. */
export interface RecordPipeline {
  /** Consent filter → mapping → allow-list. Undefined skips the record. */
  map: Mapper;
  /** The source id of a record, from the point's `key` path. */
  keyOf: ((record: unknown) => string) | undefined;
}

type Transform = NonNullable<
  NonNullable<Extract<IntegrationPointConfig['mapping'], { fields: unknown }>['fields'][string]['transform']>
>[number];

/** Thrown by a transform that cannot convert a value; carries no value. */
class TransformFailure {
  constructor(readonly transform: Transform) {}
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function applyTransform(value: unknown, transform: Transform, defaultRegion: string | undefined): unknown {
  if (value === undefined || value === null) return value;
  switch (transform) {
    case 'trim':
      return typeof value === 'string' ? value.trim() : value;
    case 'lower':
      return typeof value === 'string' ? value.toLowerCase() : value;
    case 'upper':
      return typeof value === 'string' ? value.toUpperCase() : value;
    case 'string':
      if (typeof value === 'object') throw new TransformFailure(transform);
      return String(value);
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (!Number.isFinite(n)) throw new TransformFailure(transform);
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 1 || value === '1') return true;
      if (value === 'false' || value === 0 || value === '0') return false;
      throw new TransformFailure(transform);
    case 'emptyToNull':
      return typeof value === 'string' && value.trim() === '' ? null : value;
    case 'e164': {
      const phone = typeof value === 'string' ? tryNormalizePhone(value, { defaultRegion }) : undefined;
      if (!phone) throw new TransformFailure(transform);
      return phone;
    }
    case 'date':
    case 'datetime': {
      if (typeof value !== 'string' && typeof value !== 'number') throw new TransformFailure(transform);
      if (transform === 'date' && typeof value === 'string' && DATE_ONLY.test(value.trim())) {
        const d = new Date(`${value.trim()}T00:00:00Z`);
        if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value.trim()) throw new TransformFailure(transform);
        return value.trim();
      }
      const d = new Date(value);
      if (Number.isNaN(d.getTime())) throw new TransformFailure(transform);
      return transform === 'date' ? d.toISOString().slice(0, 10) : d.toISOString();
    }
  }
}

/** Builds the declarative mapper of `mapping.fields`. */
function declarativeMapper(mapping: Extract<IntegrationPointConfig['mapping'], { fields: unknown }>, pointId: string): Mapper {
  const fields = Object.entries(mapping.fields);
  return (record) => {
    const out: Record<string, unknown> = {};
    for (const [target, spec] of fields) {
      let value: unknown = spec.const !== undefined ? spec.const : getPath(record, spec.from!);
      try {
        for (const t of spec.transform ?? []) value = applyTransform(value, t, mapping.defaultRegion);
      } catch (error) {
        if (!(error instanceof TransformFailure)) throw error;
        const onError = spec.onError ?? 'fail';
        if (onError === 'skip-record') return undefined;
        if (onError === 'drop-field') continue;
        throw new ValidationError(`point ${pointId}: field ${target}: ${error.transform} could not convert the source value`, {
          issues: [
            { path: target.split('.'), code: 'transform_failed', message: `${error.transform} could not convert the value` },
          ],
        });
      }
      if (value !== undefined) setPath(out, target, value);
    }
    return out;
  };
}

/** Loads a typed mapper module: its `export` (default `default`) must be a function. */
async function moduleMapper(
  mapping: Extract<IntegrationPointConfig['mapping'], { module: string }>,
  baseDir: string,
): Promise<Mapper> {
  const mod = await importModule(moduleSpecifier(mapping.module, baseDir), `mapper ${mapping.module}`);
  const fn = mod[mapping.export ?? 'default'];
  if (typeof fn !== 'function') {
    throw new ConfigError(`mapper ${mapping.module} has no function export ${mapping.export ?? 'default'}`);
  }
  return fn as Mapper;
}

/**
 * Builds what a point does to each record: the consent filter (records whose consent field is
 * not the required value are skipped), the mapping (a module, declarative fields, or none), then
 * the allow-list (fields not listed are dropped before writing).
 */
export async function buildRecordPipeline(point: IntegrationPointConfig, baseDir: string): Promise<RecordPipeline> {
  const mapper: Mapper | undefined =
    point.mapping === undefined
      ? undefined
      : 'module' in point.mapping
        ? await moduleMapper(point.mapping, baseDir)
        : declarativeMapper(point.mapping, point.id);
  const consent = point.consent?.required ? { field: point.consent.field!, value: point.consent.value ?? true } : undefined;
  const allowed = point.fields;
  const keyPath = point.key;
  return {
    keyOf:
      keyPath === undefined
        ? undefined
        : (record) => {
            const key = getPath(record, keyPath);
            if (typeof key === 'string' && key.length > 0) return key;
            if (typeof key === 'number' && Number.isFinite(key)) return String(key);
            throw new ValidationError(`point ${point.id}: a record has no usable id at ${keyPath}`);
          },
    async map(record, context) {
      if (consent && getPath(record, consent.field) !== consent.value) return undefined;
      const mapped = mapper ? await mapper(record, context) : record;
      if (mapped === undefined || mapped === null) return undefined;
      if (typeof mapped !== 'object') throw new ValidationError(`point ${point.id}: the mapper returned a non-object`);
      return pickAllowed(mapped, allowed);
    },
  };
}
