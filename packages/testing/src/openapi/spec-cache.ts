import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@hmi/core';
import { parse as parseYaml } from 'yaml';

/**
 * A cache of parsed spec files and of the validators built from them, keyed by absolute path.
 *
 * Create one per test file (or share one across a process) and pass it to the loaders: Stripe's
 * OpenAPI description is a 4 MB YAML file that takes about half a second to parse, and a FHIR
 * validator compiles a 3.6 MB schema. Nothing is cached unless you hand a cache in, so unrelated
 * validators never share state behind your back.
 */
export interface SpecCache {
  /** Parsed files by absolute path. Treat the values as read-only: validators rely on them. */
  readonly documents: Map<string, unknown>;
  /** Validators built by {@link createOpenApiValidator} / the FHIR helpers, by kind and path. */
  readonly validators: Map<string, unknown>;
}

/** Creates an empty {@link SpecCache}. */
export function createSpecCache(): SpecCache {
  return { documents: new Map(), validators: new Map() };
}

/** Options of the spec loaders. */
export interface LoadSpecOptions {
  /** Reuse parsed files across calls. */
  cache?: SpecCache;
}

/** Resolves a path or `file:` URL to an absolute path, the cache key. */
export function toAbsolutePath(path: string | URL): string {
  if (path instanceof URL) return fileURLToPath(path);
  return path.startsWith('file:') ? fileURLToPath(path) : resolve(path);
}

/**
 * Reads and parses a JSON or YAML file (by extension; `.yaml`/`.yml` are YAML, anything else is
 * tried as JSON first). YAML is read with the core schema, so dates in descriptions stay strings.
 *
 * @throws ConfigError when the file is missing or does not parse.
 */
export function loadSpecFile(path: string | URL, options: LoadSpecOptions = {}): unknown {
  const absolute = toAbsolutePath(path);
  const cached = options.cache?.documents.get(absolute);
  if (cached !== undefined) return cached;
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read spec file ${absolute}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = /\.ya?ml$/i.test(absolute) ? parseYaml(text, { schema: 'core', uniqueKeys: false }) : JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`spec file ${absolute} is neither valid JSON nor YAML`, { cause: error });
  }
  options.cache?.documents.set(absolute, parsed);
  return parsed;
}

/** The parts of an OpenAPI 3.0 / 3.1 document the validator reads. */
export interface OpenApiDocument {
  openapi: string;
  info?: { title?: string; version?: string };
  servers?: Array<{ url: string; variables?: Record<string, { default: string }> }>;
  paths?: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  security?: Array<Record<string, string[]>>;
  [key: string]: unknown;
}

/**
 * Loads an OpenAPI 3.0 or 3.1 description (JSON or YAML) and checks that it is one.
 *
 * @throws ConfigError when the file is missing, does not parse, or is not OpenAPI 3.x.
 */
export function loadOpenApiSpec(path: string | URL, options: LoadSpecOptions = {}): OpenApiDocument {
  const doc = loadSpecFile(path, options);
  if (!isOpenApiDocument(doc)) {
    throw new ConfigError(`${toAbsolutePath(path)} is not an OpenAPI 3.0 or 3.1 document (no "openapi: 3.x" field)`);
  }
  return doc;
}

/** True when `value` looks like an OpenAPI 3.0 or 3.1 document. */
export function isOpenApiDocument(value: unknown): value is OpenApiDocument {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { openapi?: unknown }).openapi === 'string' &&
    /^3\.[01]\./.test((value as { openapi: string }).openapi)
  );
}
