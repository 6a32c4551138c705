import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '@hmi/core';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../src/commands/run.js';
import { ENV, goodConfig, hmi, patients, tempDir, write } from './harness.js';

describe('CLI errors that tell the cause', () => {
  it('a usage mistake prints the one line and a pointer to --help, not the whole usage', async () => {
    const { code, stderr } = await hmi(['run'], { cwd: tempDir() });
    expect(code).toBe(2);
    expect(stderr).toBe('hmi: hmi run takes one config file\nRun hmi --help for the commands and their flags.\n');
    const unknown = await hmi(['frobnicate'], { cwd: tempDir() });
    expect(unknown.stderr).not.toMatch(/Usage:/);
  });

  it('a failure names the class, system code and host of a foreign cause, never a path', () => {
    const network = Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:443 /Patient?name=Zarqa'), {
      code: 'ECONNREFUSED',
      address: 'ehr.example-hospital.sa',
      port: 443,
    });
    expect(describeFailure(network)).toBe('failed (Error ECONNREFUSED to ehr.example-hospital.sa:443)');
    // Through an HmiError the cause keeps its class and code (core strips the rest).
    const failure = new ApiError('patients failed', { cause: network });
    expect(describeFailure(failure)).toBe('patients failed: Error ECONNREFUSED');
    expect(describeFailure(failure)).not.toMatch(/Zarqa|10\.0\.0\.9/);
    expect(describeFailure(new TypeError('x is undefined for +966555123456'))).toBe('failed (TypeError)');
  });

  it('creates a state folder that does not exist, and shows the time a failed run took', async () => {
    const dir = tempDir();
    const config = goodConfig()
      .replace('./state.sqlite', './state/new/hmi.sqlite')
      .replace('./patients.json', join(dir, 'patients.json'))
      .replace('./crm.json', join(dir, 'crm.json'))
      .replace('      outFile:', '      failOn: p1\n      outFile:');
    write(dir, 'hmi.yaml', config);
    write(dir, 'patients.json', JSON.stringify(patients(3)));
    const { stdout } = await hmi(['run', 'hmi.yaml', '--once', '--json'], { cwd: dir, env: ENV });
    expect(existsSync(join(dir, 'state', 'new', 'hmi.sqlite'))).toBe(true);
    const [point] = JSON.parse(stdout).points as Array<{ ok: boolean; durationMs: number }>;
    expect(point?.ok).toBe(false);
    expect(point?.durationMs).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'hmi.yaml'), 'utf8')).toContain('failOn');
  });
});

describe('hmi new connector', () => {
  it('writes the same standalone package as npm create @hmi/connector', async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync(process.execPath, [join(import.meta.dirname, '../../create-connector/scripts/copy-template.mjs')], {
      stdio: 'ignore',
    });
    const dir = tempDir();
    const { code, stdout } = await hmi(['new', 'connector', 'Acme CRM'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toMatch(/created connector-acme-crm \(\d+ files\)/);
    expect(existsSync(join(dir, 'connector-acme-crm', 'src', 'acme-crm-connector.ts'))).toBe(true);
    const bad = await hmi(['new', 'connector', '9lives'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/letters, digits and dashes/);
    expect((await hmi(['new', 'widget', 'x'], { cwd: dir })).code).toBe(2);
  });
});
