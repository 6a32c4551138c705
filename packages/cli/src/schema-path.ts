import { fileURLToPath } from 'node:url';

/**
 * The absolute path of the published JSON Schema of the config file
 * (`schema/hmi-config.schema.json` in the package), for editors and validators. Also importable
 * as `@hmi/cli/schema.json`.
 */
export const CONFIG_SCHEMA_PATH: string = fileURLToPath(new URL('../schema/hmi-config.schema.json', import.meta.url));
