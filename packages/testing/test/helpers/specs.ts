import { join } from 'node:path';
import { findSpecsDir } from '@hmi/testing';

/** The vendors' specs, read at test time from ../shared/specs (never copied into the package). */
export const specsDir = findSpecsDir(import.meta.url);
export const spec = (relative: string) => join(specsDir, relative);
