import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findSpecsDir } from '@hmi/testing';

/**
 * The shared HL7 v2 samples (`shared/specs/hl7v2`), read in place at test time: their licence
 * forbids copying them into the package. Found by `findSpecsDir` (`HMI_SPECS_DIR` overrides).
 */
export function hl7SpecsDir(): string {
  const dir = join(findSpecsDir(import.meta.url), 'hl7v2');
  if (!statSync(dir).isDirectory()) throw new Error(`no HL7 samples at ${dir}`);
  return dir;
}

/**
 * The external corpora (`shared/corpora/<kind>`, beside the specs; `HMI_CORPORA_DIR` overrides),
 * provenance in their SOURCES.md.
 */
export function corporaDir(kind: string): string {
  const base = process.env.HMI_CORPORA_DIR ?? join(dirname(findSpecsDir(import.meta.url)), 'corpora');
  const dir = join(base, kind);
  if (!statSync(dir).isDirectory()) throw new Error(`no ${kind} corpus at ${dir}`);
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

/** Every message of the HL7 v2 corpus (850 files in seven folders), as `folder/file` and bytes. */
export function hl7Corpus(): Array<{ name: string; bytes: Buffer }> {
  const dir = corporaDir('hl7v2');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.hl7'))
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
}

/** What `toString()` must give for a sample: LF → CR, no byte-order mark. */
export function expectedText(bytes: Buffer): string {
  return bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r\n|\n/g, '\r');
}
