import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type AnySchema, ConfigError, type ConnectorInstance, type ConnectorInstanceOptions, isHmiError } from '@hmi/core';
import { collectMarkedKeys } from '@hmi/core/internal';
import type { ConnectorSpecConfig } from '../config/schema.js';

/** Where a built-in connector lives: its package, factory and definition exports. */
export interface ConnectorRegistryEntry {
  /** The npm package. */
  package: string;
  /** The factory, `(config, options) => instance`. */
  factory: string;
  /** The `defineConnector` result, whose config schema marks secrets. */
  definition?: string;
}

/** The built-in connector ids a config's `use:` names, mapped to their packages. */
export const CONNECTOR_REGISTRY: Readonly<Record<string, ConnectorRegistryEntry>> = Object.freeze({
  fhir: { package: '@hmi/connector-fhir', factory: 'createFhirConnector', definition: 'fhirConnector' },
  stripe: { package: '@hmi/connector-stripe', factory: 'createStripeConnector', definition: 'stripeConnector' },
  moyasar: { package: '@hmi/connector-moyasar', factory: 'createMoyasarConnector', definition: 'moyasarConnector' },
  tap: { package: '@hmi/connector-tap', factory: 'createTapConnector', definition: 'tapConnector' },
  twilio: { package: '@hmi/connector-twilio', factory: 'createTwilioConnector', definition: 'twilioConnector' },
  sendgrid: { package: '@hmi/connector-sendgrid', factory: 'createSendGridConnector', definition: 'sendGridConnector' },
  hl7v2: { package: '@hmi/connector-hl7v2', factory: 'createHl7v2Connector', definition: 'hl7v2Connector' },
  odoo: { package: '@hmi/connector-odoo', factory: 'createOdooConnector', definition: 'odooConnector' },
  x: { package: '@hmi/connector-x', factory: 'createXConnector', definition: 'xConnector' },
  ga4: { package: '@hmi/connector-ga4', factory: 'createGa4Connector', definition: 'ga4Connector' },
  matomo: { package: '@hmi/connector-matomo', factory: 'createMatomoConnector', definition: 'matomoConnector' },
  asterisk: { package: '@hmi/connector-asterisk', factory: 'createAsteriskConnector', definition: 'asteriskConnector' },
  meta: { package: '@hmi/connector-meta', factory: 'createMetaConnector', definition: 'metaConnector' },
  whatsapp: { package: '@hmi/connector-whatsapp', factory: 'createWhatsAppConnector', definition: 'whatsAppConnector' },
});

/** A connector factory as packages export it. */
export type ConnectorFactory = (config: unknown, options?: ConnectorInstanceOptions) => ConnectorInstance;

/** A connector module, imported. */
export interface LoadedConnectorModule {
  /** The import specifier used. */
  specifier: string;
  factory: ConnectorFactory;
  /** Secret-marked config keys, when the module exports its definition. */
  secretKeys: ReadonlySet<string> | undefined;
  /** The connector's own config schema, when the module exports its definition. */
  configSchema: AnySchema | undefined;
}

/** The import specifier of a connector entry: a registry package, a package name, or a file path. */
export function connectorSpecifier(
  spec: ConnectorSpecConfig,
  baseDir: string,
): { specifier: string; entry?: ConnectorRegistryEntry } {
  if (spec.use !== undefined) {
    const entry = CONNECTOR_REGISTRY[spec.use];
    if (!entry) {
      throw new ConfigError(`unknown connector "${spec.use}"; built-in ones are ${Object.keys(CONNECTOR_REGISTRY).join(', ')}`);
    }
    return { specifier: entry.package, entry };
  }
  return { specifier: moduleSpecifier(spec.package!, baseDir) };
}

/** A module path relative to the config file becomes a file URL; a package name stays as it is. */
export function moduleSpecifier(path: string, baseDir: string): string {
  if (path.startsWith('./') || path.startsWith('../') || isAbsolute(path)) return pathToFileURL(resolve(baseDir, path)).href;
  return path;
}

/**
 * Imports a connector module and finds its factory: the entry's `export`, the registry's, the
 * default export, or the one `create…Connector` export.
 */
export async function loadConnectorModule(spec: ConnectorSpecConfig, baseDir: string): Promise<LoadedConnectorModule> {
  const { specifier, entry } = connectorSpecifier(spec, baseDir);
  const mod = await importModule(
    specifier,
    spec.use !== undefined ? `${spec.use} (${entry!.package})` : spec.package!,
    entry?.package,
  );
  const exportName = spec.export ?? entry?.factory;
  let factory: unknown;
  if (exportName !== undefined) factory = mod[exportName];
  else if (typeof mod.default === 'function') factory = mod.default;
  else {
    const candidates = Object.keys(mod).filter((k) => /^create\w*Connector$/.test(k) && typeof mod[k] === 'function');
    if (candidates.length === 1) factory = mod[candidates[0]!];
  }
  if (typeof factory !== 'function') {
    throw new ConfigError(
      `connector module ${spec.use ?? spec.package} has no factory${exportName ? ` named ${exportName}` : ''}; set export: to its create function`,
    );
  }
  const definition =
    entry?.definition !== undefined ? mod[entry.definition] : findDefinition(mod, exportName ?? factoryExportName(mod, factory));
  const schema = (definition as { definition?: { config?: unknown } } | undefined)?.definition?.config;
  let secretKeys: ReadonlySet<string> | undefined;
  try {
    secretKeys = schema ? collectMarkedKeys(schema as Parameters<typeof collectMarkedKeys>[0], 'secret') : undefined;
  } catch {
    secretKeys = undefined;
  }
  // Any Standard Schema (zod, valibot): what the connector's own create() validates with.
  const configSchema = isStandardSchema(schema) ? schema : undefined;
  return { specifier, factory: factory as ConnectorFactory, secretKeys, configSchema };
}

function isStandardSchema(schema: unknown): schema is AnySchema {
  const props = (schema as { '~standard'?: { validate?: unknown } } | null | undefined)?.['~standard'];
  return typeof props?.validate === 'function';
}

/**
 * Imports a module; a failure is a ConfigError that says what to do: the package to install, that a
 * `.ts` file needs a loader, or the error's class, code and first line (a module's load error is
 * about code, not patient data; it is still cut short).
 */
export async function importModule(specifier: string, label: string, packageName?: string): Promise<Record<string, unknown>> {
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw describeImportFailure(error, specifier, label, packageName);
  }
}

/** The ConfigError for a module that failed to import (see {@link importModule}). */
export function describeImportFailure(error: unknown, specifier: string, label: string, packageName?: string): Error {
  if (isHmiError(error)) return error;
  const e = error as { code?: string; name?: string; message?: string };
  const message = String(e?.message ?? '');
  if (e?.code === 'ERR_UNKNOWN_FILE_EXTENSION' && /\.(c|m)?tsx?$/.test(specifier)) {
    return new ConfigError(
      `cannot load ${label}: Node cannot import a TypeScript file by itself; compile it to .js, or start hmi with a TypeScript loader: node --import tsx node_modules/@hmi/cli/dist/bin.js …`,
    );
  }
  const notFound =
    e?.code === 'ERR_MODULE_NOT_FOUND' ||
    e?.code === 'MODULE_NOT_FOUND' ||
    /Cannot find (module|package)|Failed to load url/.test(message);
  // The missing module may be a dependency of the connector rather than the connector itself.
  if (notFound && packageName !== undefined && (message.includes(`'${packageName}'`) || message.includes(`"${packageName}"`))) {
    return new ConfigError(`cannot load ${label}: the package ${packageName} is not installed (npm install ${packageName})`);
  }
  if (notFound) {
    const missing = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1];
    const what = missing ? ` (${missing.length > 120 ? `${missing.slice(0, 120)}…` : missing} is missing)` : '';
    return new ConfigError(`cannot load ${label}: module not found${what}; install it, or check the path`);
  }
  const first = message.split('\n')[0]!.slice(0, 200);
  return new ConfigError(
    `cannot load ${label}: it failed while loading (${e?.name ?? 'Error'}${e?.code ? ` ${e.code}` : ''}: ${first})`,
  );
}

const isDefinition = (v: unknown) =>
  typeof v === 'object' && v !== null && typeof (v as { create?: unknown }).create === 'function' && 'definition' in v;

function factoryExportName(mod: Record<string, unknown>, factory: unknown): string | undefined {
  return Object.keys(mod).find((k) => mod[k] === factory);
}

/**
 * The definition that belongs to the factory: `createFakeCrm` ↔ `fakeCrm` or `fakeCrmConnector`,
 * `createAcmeConnector` ↔ `acmeConnector`; else the module's only definition. A module with several
 * and no match gives none (its config is then checked only when the connector is created).
 */
function findDefinition(mod: Record<string, unknown>, factoryName: string | undefined): unknown {
  const stem = factoryName !== undefined ? /^create(\w+)$/.exec(factoryName)?.[1] : undefined;
  if (stem) {
    const lower = stem[0]!.toLowerCase() + stem.slice(1);
    for (const name of [lower, `${lower}Connector`, lower.replace(/Connector$/, '')]) {
      if (isDefinition(mod[name])) return mod[name];
    }
  }
  const all = Object.values(mod).filter(isDefinition);
  return all.length === 1 ? all[0] : undefined;
}
