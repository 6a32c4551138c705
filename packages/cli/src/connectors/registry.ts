import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, collectMarkedKeys, type ConnectorInstance, type ConnectorInstanceOptions, isHmiError } from '@hmi/core';
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
  twilio: { package: '@hmi/connector-twilio', factory: 'createTwilioConnector', definition: 'twilioConnector' },
  sendgrid: { package: '@hmi/connector-sendgrid', factory: 'createSendGridConnector', definition: 'sendGridConnector' },
  hl7v2: { package: '@hmi/connector-hl7v2', factory: 'createHl7v2Connector', definition: 'hl7v2Connector' },
  ga4: { package: '@hmi/connector-ga4', factory: 'createGa4Connector', definition: 'ga4Connector' },
  matomo: { package: '@hmi/connector-matomo', factory: 'createMatomoConnector', definition: 'matomoConnector' },
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
  const mod = await importModule(specifier, spec.use ?? spec.package!);
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
  const definition = entry?.definition !== undefined ? mod[entry.definition] : findDefinition(mod);
  const schema = (definition as { definition?: { config?: unknown } } | undefined)?.definition?.config;
  let secretKeys: ReadonlySet<string> | undefined;
  try {
    secretKeys = schema ? collectMarkedKeys(schema as Parameters<typeof collectMarkedKeys>[0], 'secret') : undefined;
  } catch {
    secretKeys = undefined;
  }
  return { specifier, factory: factory as ConnectorFactory, secretKeys };
}

/** Imports a module; a missing package or file is a ConfigError that says what to install. */
export async function importModule(specifier: string, label: string): Promise<Record<string, unknown>> {
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    if (isHmiError(error)) throw error;
    const code = (error as { code?: string }).code;
    if (
      code === 'ERR_MODULE_NOT_FOUND' ||
      code === 'MODULE_NOT_FOUND' ||
      /Cannot find (module|package)|Failed to load url/.test(String((error as Error)?.message))
    ) {
      throw new ConfigError(`cannot load ${label}: module not found (install it, or check the path)`);
    }
    throw new ConfigError(`cannot load ${label}: it failed while loading (${(error as Error)?.name ?? 'Error'})`);
  }
}

function findDefinition(mod: Record<string, unknown>): unknown {
  return Object.values(mod).find(
    (v) => typeof v === 'object' && v !== null && typeof (v as { create?: unknown }).create === 'function' && 'definition' in v,
  );
}
