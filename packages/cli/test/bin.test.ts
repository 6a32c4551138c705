import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENV, goodConfig, patients, tempDir, write } from './harness.js';

const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// `--import tsx` resolves from the child's cwd (a temp dir): give the loader by absolute URL.
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** Spawns the real `hmi` binary from source through tsx, with workspace packages from source too. */
function spawnHmi(args: string[], cwd: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@hmi/source', '--import', TSX, BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the hmi binary', () => {
  it('validates, runs once and reads the audit trail as a real process, with meaningful exit codes', async () => {
    const dir = tempDir();
    write(
      dir,
      'hmi.yaml',
      goodConfig().replace('./patients.json', join(dir, 'patients.json')).replace('./crm.json', join(dir, 'crm.json')),
    );
    write(dir, 'patients.json', JSON.stringify(patients(6)));
    write(dir, 'broken.yaml', 'version: 2\nconnectors: {}\npoints: []\n');

    const valid = await spawnHmi(['validate', 'hmi.yaml'], dir);
    expect(valid).toMatchObject({ code: 0, stdout: 'hmi.yaml: valid (1 integration point(s), 2 connector(s))\n' });

    const invalid = await spawnHmi(['validate', 'broken.yaml'], dir);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('broken.yaml:1:10: version:');
    expect(invalid.stderr).toContain('broken.yaml:3:9: points: too small');

    const run = await spawnHmi(['run', 'hmi.yaml', '--once'], dir, ENV);
    expect(run.stderr).toContain('ehr-to-crm-patients');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ehr-to-crm-patients\s+ok\s+1\s+2\s+6\s+5\s+1/);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'crm.json'), 'utf8')))).toHaveLength(5);
    for (const secret of Object.values(ENV)) expect(run.stdout + run.stderr).not.toContain(secret);

    const audit = await spawnHmi(['audit', '--state', 'state.sqlite', '--json'], dir);
    expect(audit.code).toBe(0);
    expect(JSON.parse(audit.stdout)).toHaveLength(2);

    const usage = await spawnHmi(['status'], dir);
    expect(usage.code).toBe(2);
  }, 60_000);
});
