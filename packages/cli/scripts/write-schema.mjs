// Writes schema/hmi-config.schema.json from the zod schema (run after tsup by `pnpm build`).
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../dist/index.js';

const target = new URL('../schema/hmi-config.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
