import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hmi, tempDir } from './harness.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('README example (examples/hmi.example.yaml)', () => {
  it('validates and runs once from the repository root as the README says', async () => {
    const dir = tempDir();
    const valid = await hmi(['validate', 'packages/cli/examples/hmi.example.yaml'], { cwd: ROOT });
    expect(valid).toMatchObject({
      code: 0,
      stdout: 'packages/cli/examples/hmi.example.yaml: valid (1 integration point(s), 2 connector(s))\n',
    });
    const env = { EHR_API_KEY: 'demo-key', CRM_TOKEN: 'demo-token', CRM_OUT_FILE: join(dir, 'crm.json') };
    const run = await hmi(['run', 'packages/cli/examples/hmi.example.yaml', '--once', '--state', join(dir, 'hmi.sqlite')], {
      cwd: ROOT,
      env,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ehr-to-crm-patients\s+ok\s+1\s+2\s+3\s+2\s+1/);
    expect(JSON.parse(readFileSync(join(dir, 'crm.json'), 'utf8'))).toEqual({
      p1: {
        id: 'p1',
        firstName: 'ليلى',
        lastName: 'القحطاني',
        phone: '+966501234567',
        email: 'layla@example.com',
        source: 'ehr',
      },
      p2: { id: 'p2', firstName: 'Omar', lastName: 'Hassan', phone: '+971501112233', email: 'omar@example.com', source: 'ehr' },
    });
  });
});
