import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../src/index.js';
import { FAKE_CONNECTORS, goodConfig, hmi, tempDir, write } from './harness.js';

describe('hmi validate', () => {
  it('accepts a good file', async () => {
    const dir = tempDir();
    write(dir, 'hmi.yaml', goodConfig());
    const { code, stdout } = await hmi(['validate', 'hmi.yaml'], { cwd: dir });
    expect(stdout).toBe('hmi.yaml: valid (1 integration point(s), 2 connector(s))\n');
    expect(code).toBe(0);
  });

  it('points every error at its line and column, never quoting a secret', async () => {
    const dir = tempDir();
    const text = [
      'version: 1', //                                   1
      'connectors:', //                                  2
      '  ehr:', //                                       3
      `    package: ${FAKE_CONNECTORS}`, //              4
      '    export: createFakeSource', //                 5
      '    config:', //                                  6
      '      file: ./p.json', //                         7
      '      apiKey: sk_live_canary_literal_991', //     8
      '      signingMaterial: pem-canary-literal-77', // 9
      '  crm:', //                                      10
      '    use: fhir', //                               11
      '    config: {}', //                              12
      'points:', //                                     13
      '  - id: p1', //                                  14
      '    direction: sideways', //                     15
      '    source: { connector: ehr, stream: patients }', // 16
      '    destination: { connector: nope, action: upsert }', // 17
      '    schedule: { every: soon }', //               18
      '    purpose: marketing', //                      19
      '    colour: blue', //                            20
      '', //
    ].join('\n');
    write(dir, 'bad.yaml', text);
    const { code, stderr } = await hmi(['validate', 'bad.yaml'], { cwd: dir });
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toEqual([
      'bad.yaml:8:15: connectors.ehr.config.apiKey: a secret must be an environment reference (env:NAME), not a value written in the file',
      'bad.yaml:9:24: connectors.ehr.config.signingMaterial: a secret must be an environment reference (env:NAME), not a value written in the file',
      'bad.yaml:14:5: points.0.fields: required (array)',
      'bad.yaml:15:16: points.0.direction: expected one of "inbound", "outbound"',
      expect.stringMatching(/^bad\.yaml:18:24: points\.0\.schedule\.every: a duration such as 30s/),
      'bad.yaml:20:13: points.0.colour: unknown field',
      '6 problem(s) in bad.yaml',
    ]);
    expect(stderr).not.toContain('canary');
    // Cross-field checks run once the shapes are right (a second pass, as compilers do).
    const fixed = text
      .replace('    direction: sideways', '    direction: inbound')
      .replace('    schedule: { every: soon }', '    schedule: { every: 5m }')
      .replace('    colour: blue', '    fields: [id]');
    write(dir, 'bad.yaml', fixed);
    const second = await hmi(['validate', 'bad.yaml'], { cwd: dir });
    expect(second.stderr.trim().split('\n')).toEqual([
      'bad.yaml:8:15: connectors.ehr.config.apiKey: a secret must be an environment reference (env:NAME), not a value written in the file',
      'bad.yaml:9:24: connectors.ehr.config.signingMaterial: a secret must be an environment reference (env:NAME), not a value written in the file',
      'bad.yaml:17:31: points.0.destination.connector: not a key of connectors',
      'bad.yaml:19:14: points.0.purpose: marketing needs consent: { required: true, field }',
      '4 problem(s) in bad.yaml',
    ]);
    expect(second.stderr).not.toContain('canary');
  });

  it('refuses inline secrets by key name and by the connector schema’s secret() marks, and unknown connectors', async () => {
    const dir = tempDir();
    const text = [
      'version: 1',
      'connectors:',
      '  ehr:',
      `    package: ${FAKE_CONNECTORS}`,
      '    export: createFakeSource',
      '    config:',
      '      file: ./p.json',
      '      apiKey: sk_live_canary_literal_991',
      '      signingMaterial: pem-canary-literal-77',
      '  crm:',
      '    use: salesforce',
      '    config: {}',
      'points:',
      '  - id: p1',
      '    direction: inbound',
      '    source: { connector: ehr, stream: patients }',
      '    destination: { connector: crm, action: upsert }',
      '    fields: [id]',
      '    purpose: operations',
      '',
    ].join('\n');
    write(dir, 'secrets.yaml', text);
    const { code, stderr } = await hmi(['validate', 'secrets.yaml'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      'secrets.yaml:8:15: connectors.ehr.config.apiKey: a secret must be an environment reference (env:NAME), not a value written in the file',
      'secrets.yaml:9:24: connectors.ehr.config.signingMaterial: a secret must be an environment reference (env:NAME), not a value written in the file',
      expect.stringMatching(
        /^secrets\.yaml:11:10: connectors\.crm\.use: unknown connector "salesforce"; built-in ones are fhir, stripe/,
      ),
      '3 problem(s) in secrets.yaml',
    ]);
    expect(stderr).not.toContain('canary');
  });

  it('reports YAML syntax errors and duplicate keys with their line', async () => {
    const broken = await validateConfigText('version: 1\nconnectors:\n  a: [1, 2\npoints: []\n');
    expect(broken.ok).toBe(false);
    if (!broken.ok)
      expect(broken.issues[0]).toMatchObject({ line: expect.any(Number), message: expect.stringMatching(/^YAML: /) });
    const dup = await validateConfigText('version: 1\nversion: 1\n');
    expect(dup.ok).toBe(false);
    if (!dup.ok) expect(dup.issues[0]).toMatchObject({ line: 2, message: 'YAML: duplicate key' });
  });

  it('reads JSON too, with line numbers', async () => {
    const json = '{\n  "version": 1,\n  "connectors": {},\n  "points": [\n    { "id": "x", "direction": "in" }\n  ]\n}\n';
    const result = await validateConfigText(json);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const direction = result.issues.find((i) => i.path.join('.') === 'points.0.direction');
      expect(direction).toMatchObject({ line: 5, column: 31 });
    }
  });

  it('is a usage error without a file, and a clear one for a missing file', async () => {
    const dir = tempDir();
    expect((await hmi(['validate'], { cwd: dir })).code).toBe(2);
    const missing = await hmi(['validate', 'nope.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml: (root): cannot read the file (ENOENT)');
  });
});
