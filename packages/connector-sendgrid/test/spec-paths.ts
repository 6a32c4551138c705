import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared vendor specs, read at test time (never copied into the package). */
export const SPECS_DIR = fileURLToPath(new URL('../../../../shared/specs/', import.meta.url));

/** Reads a JSON file under `../shared/specs`. */
export function readSpec<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(`${SPECS_DIR}${relative}`, 'utf8')) as T;
}
