/**
 * `@hmi/create-connector`: `npm create @hmi/connector <name>` writes a standalone hmi connector
 * package — the shape of `examples/custom-connector`, its own tsconfig, pinned devDependencies,
 * a vitest config rooted at the package, an MSW fake, an OpenAPI stub and the contract test — that
 * installs and passes its tests with npm outside any workspace.
 * @packageDocumentation
 */
export { main } from './cli.js';
export { type ConnectorNames, connectorNames } from './names.js';
export {
  defaultTemplateDir,
  type ScaffoldConnectorOptions,
  type ScaffoldConnectorResult,
  scaffoldConnector,
} from './scaffold.js';
export type { TemplateVersions } from './standalone-files.js';
