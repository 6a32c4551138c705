/**
 * `@hmi/cli`: declarative integration points. A YAML or JSON config names each point's source
 * stream and destination action, schedule, mapping, field allow-list, purpose and consent, with
 * secrets as `env:NAME`. The `hmi` binary validates it (line:column errors), runs it through
 * `@hmi/flow`, and inspects the state store (status, dead-letter queue, audit trail). The same
 * pieces are exported for host applications.
 * @packageDocumentation
 */
// Entry points: the CLI itself, validation and loading, and preparing a run from a host.
export { main, CLI_VERSION } from './cli.js';
export { type CliIo, EXIT } from './commands/context.js';
export { validateConfigFile, type FileValidation } from './commands/validate.js';
export {
  loadConfig,
  validateConfigText,
  formatConfigIssues,
  type LoadedConfig,
  type ConfigValidation,
  type ValidateConfigOptions,
} from './config/load-config.js';
export { CONFIG_LIMITS } from './config/parse-yaml.js';
export type { SecretKeysOf } from './config/secrets.js';
export { prepareRun, type PreparedPoint, type PreparedRun, type PrepareRunOptions } from './run/prepare.js';
export type { Mapper } from './mapping/record-pipeline.js';

// The config schema: zod schemas, their types, and the JSON Schema for editors.
export {
  HmiConfigSchema,
  ConnectorSpec,
  FieldMapping,
  IntegrationPoint,
  Mapping,
  Purpose,
  ENV_REF,
  type HmiConfig,
  type HmiConfigInput,
  type IntegrationPointConfig,
  type ConnectorSpecConfig,
} from './config/schema.js';
export type { ConfigIssue } from './config/issues.js';
export { configJsonSchema, CONFIG_SCHEMA_ID } from './config/json-schema.js';
export { CONFIG_SCHEMA_PATH } from './schema-path.js';
