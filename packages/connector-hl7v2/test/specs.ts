import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The shared HL7 v2 samples (`../shared/specs/hl7v2` from the repository root), read in place at
 * test time: their licence forbids copying them into the package. `HMI_SPECS_DIR` overrides.
 */
export function hl7SpecsDir(): string {
  const base = process.env.HMI_SPECS_DIR ?? fileURLToPath(new URL('../../../../shared/specs', import.meta.url));
  const dir = `${base.replace(/\/$/, '')}/hl7v2`;
  if (!statSync(dir).isDirectory()) throw new Error(`no HL7 samples at ${dir}`);
  return dir;
}

/** Every sample: file name and raw bytes. */
export function hl7Samples(): Array<{ name: string; bytes: Buffer }> {
  const dir = hl7SpecsDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.hl7'))
    .sort()
    .map((name) => ({ name, bytes: readFileSync(`${dir}/${name}`) }));
}

/** What `toString()` must give for a sample: LF → CR, no byte-order mark. */
export function expectedText(bytes: Buffer): string {
  return bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r\n|\n/g, '\r');
}
