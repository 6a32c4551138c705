import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_SCHEMA_PATH, configJsonSchema } from '../src/index.js';
import { goodConfig } from './harness.js';

describe('the published JSON Schema', () => {
  it('is the one generated from the zod schema (run `pnpm --filter @hmi/cli build` after changing it)', () => {
    const published = JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, 'utf8'));
    expect(published).toEqual(configJsonSchema());
    expect(CONFIG_SCHEMA_PATH.endsWith('packages/cli/schema/hmi-config.schema.json')).toBe(true);
  });

  it('accepts a good config and rejects a bad one, as editors will', () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(configJsonSchema());
    expect(validate(parse(goodConfig()))).toBe(true);
    const bad = parse(goodConfig()) as { points: Array<Record<string, unknown>> };
    bad.points[0]!.direction = 'sideways';
    delete bad.points[0]!.fields;
    expect(validate(bad)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(expect.arrayContaining(['/points/0']));
  });
});
