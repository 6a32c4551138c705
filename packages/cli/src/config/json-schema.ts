import { z } from 'zod';
import { HmiConfigSchema } from './schema.js';

/** The `$id` of the published schema. */
export const CONFIG_SCHEMA_ID = 'https://hmi.dev/schema/hmi-config.schema.json';

/**
 * The JSON Schema (draft 2020-12) of the config file, generated from the zod schema, for editor
 * completion (`# yaml-language-server: $schema=…`). Refinements (one of `use`/`package`, secrets
 * as `env:` references, consent for marketing) are checked by `hmi validate` only.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(HmiConfigSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return { ...schema, $id: CONFIG_SCHEMA_ID };
}
