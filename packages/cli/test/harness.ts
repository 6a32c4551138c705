import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { type CliIo, main } from '../src/index.js';

/** The fake connector and mapper modules, by absolute path (configs refer to them). */
export const FAKE_CONNECTORS = fileURLToPath(new URL('./fixtures/fake-connectors.ts', import.meta.url));
export const FAKE_MAPPER = fileURLToPath(new URL('./fixtures/fake-mapper.ts', import.meta.url));

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** A temporary directory removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hmi-cli-'));
  dirs.push(dir);
  return dir;
}

/** Writes `text` to `dir/name` and returns the path. */
export function write(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs the CLI in-process and captures what it prints. */
export async function hmi(argv: string[], options: { cwd: string; env?: Record<string, string>; signal?: AbortSignal }) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: options.env ?? {},
    cwd: options.cwd,
    ...(options.signal && { signal: options.signal }),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Patients with Arabic names and Gulf/Egyptian phone numbers, as the fake EHR serves them. */
export function patients(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `p${i + 1}`,
    name: { given: i % 2 ? 'ليلى' : 'Omar', family: i % 2 ? 'القحطاني' : 'Hassan' },
    email: `  Patient${i + 1}@Example.COM `,
    phone: i % 3 === 0 ? '0501234567' : i % 3 === 1 ? '+971 50 111 2233' : '+٢٠ ١٠٠ ١٢٣ ٤٥٦٧',
    region: i % 3 === 2 ? 'EG' : 'SA',
    birthDate: '1990-02-14',
    nationalId: `10${String(i).padStart(8, '0')}`,
    consent: { sms: i % 4 !== 3 },
  }));
}

/** A valid config with a declarative mapping, fake connectors and a SQLite state path. */
export function goodConfig(extra = ''): string {
  return `# an hmi config for the tests
version: 1
state:
  path: ./state.sqlite
connectors:
  ehr:
    package: ${FAKE_CONNECTORS}
    export: createFakeSource
    config:
      file: ./patients.json
      pageSize: 4
      apiKey: env:EHR_API_KEY
  crm:
    package: ${FAKE_CONNECTORS}
    export: createFakeCrm
    config:
      outFile: ./crm.json
      token: env:CRM_TOKEN
points:
  - id: ehr-to-crm-patients
    description: Patients from the EHR become CRM contacts
    direction: inbound
    source: { connector: ehr, stream: patients }
    destination: { connector: crm, action: upsertContact }
    mapping:
      defaultRegion: SA
      fields:
        id: { from: id }
        firstName: { from: name.given, transform: [trim] }
        lastName: { from: name.family }
        email: { from: email, transform: [trim, lower] }
        phone: { from: phone, transform: [e164] }
        birthDate: { from: birthDate, transform: [date] }
        nationalId: { from: nationalId }
        source: { const: ehr }
    fields: [id, firstName, lastName, email, phone, birthDate, source]
    purpose: transactional
    consent: { required: true, field: consent.sms }
${extra}`;
}

export const ENV = { EHR_API_KEY: 'ehr-key-canary-8841', CRM_TOKEN: 'crm-token-canary-5512' };
