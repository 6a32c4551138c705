import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@hmi/core';
import { type ConnectorNames, connectorNames, renameTemplatePath, renameTemplateText } from './names.js';
import { generatedFiles, type TemplateVersions } from './standalone-files.js';

/** Options of {@link scaffoldConnector}. */
export interface ScaffoldConnectorOptions {
  /** The connector's name as typed: `acme-crm`, `Acme CRM`. */
  name: string;
  /** Where to write it. Default `./connector-<name>` under the current directory. */
  directory?: string;
  /** The npm package name. Default `connector-<name>`. */
  packageName?: string;
  /** Write into a folder that is not empty. Default false: refuse. */
  force?: boolean;
  /** The template folder (tests only): default the one shipped in this package. */
  templateDir?: string;
}

/** What {@link scaffoldConnector} wrote. */
export interface ScaffoldConnectorResult {
  /** The absolute path of the new package. */
  directory: string;
  /** Its npm name. */
  packageName: string;
  /** Its names in every spelling. */
  names: ConnectorNames;
  /** Every file written, relative to `directory`, sorted. */
  files: string[];
  /** The versions pinned in its package.json. */
  versions: TemplateVersions;
}

/** The template shipped with this package: `template/` beside `dist/` (or `src/` in the workspace). */
export function defaultTemplateDir(): string {
  return fileURLToPath(new URL('../template', import.meta.url));
}

function listFiles(dir: string, base = dir, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry === 'versions.json') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) listFiles(path, base, out);
    else out.push(relative(base, path).split('\\').join('/'));
  }
  return out;
}

/**
 * Writes a standalone connector package: the Clinic Survey template of `examples/custom-connector`
 * renamed to `name` (config with secrets, actions, a resumable stream, a signed webhook, an MSW
 * fake, an OpenAPI stub and the contract test), with its own tsconfig, pinned devDependencies and a
 * vitest config rooted at the package, so `npm install && npm test` works outside any workspace.
 */
export function scaffoldConnector(options: ScaffoldConnectorOptions): ScaffoldConnectorResult {
  const names = connectorNames(options.name);
  const templateDir = options.templateDir ?? defaultTemplateDir();
  const versionsFile = join(templateDir, 'versions.json');
  if (!existsSync(versionsFile)) {
    throw new ConfigError('the connector template is missing from this installation of @hmi/create-connector; reinstall it');
  }
  const versions = JSON.parse(readFileSync(versionsFile, 'utf8')) as TemplateVersions;
  const directory = resolve(options.directory ?? `connector-${names.kebab}`);
  const packageName = options.packageName ?? `connector-${names.kebab}`;
  if (existsSync(directory) && readdirSync(directory).length > 0 && !options.force) {
    throw new ConfigError(`${directory} is not empty; choose another directory or pass --force`);
  }
  const files = new Map<string, string>();
  for (const path of listFiles(templateDir)) {
    const text = renameTemplateText(readFileSync(join(templateDir, path), 'utf8'), names);
    files.set(renameTemplatePath(path, names), text.replaceAll(`@hospital/connector-${names.kebab}`, packageName));
  }
  for (const [path, text] of Object.entries(generatedFiles({ names, packageName, versions }))) files.set(path, text);
  for (const [path, text] of files) {
    const target = join(directory, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return { directory, packageName, names, files: [...files.keys()].sort(), versions };
}
