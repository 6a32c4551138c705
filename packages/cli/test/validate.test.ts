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
      // The connector's own schema checks its block, as its create() will at \`hmi run\`.
      'bad.yaml:12:13: connectors.crm.config.baseUrl: required (expected string)',
      'bad.yaml:12:13: connectors.crm.config.auth: required (expected object)',
      'bad.yaml:14:5: points.0.fields: required (array)',
      'bad.yaml:15:16: points.0.direction: expected one of "inbound", "outbound"',
      expect.stringMatching(/^bad\.yaml:18:24: points\.0\.schedule\.every: a duration such as 30s/),
      'bad.yaml:20:13: points.0.colour: unknown field',
      '8 problem(s) in bad.yaml',
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
      'bad.yaml:12:13: connectors.crm.config.baseUrl: required (expected string)',
      'bad.yaml:12:13: connectors.crm.config.auth: required (expected object)',
      'bad.yaml:17:31: points.0.destination.connector: not a key of connectors',
      'bad.yaml:19:14: points.0.purpose: marketing needs consent: { required: true, field }',
      '6 problem(s) in bad.yaml',
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

describe('hmi validate checks each connector block against that connector’s schema', () => {
  it('refuses pageSize: "two" at its line, and a misspelt secret key with a suggestion', async () => {
    const dir = tempDir();
    const text = goodConfig()
      .replace('      pageSize: 4', '      pageSize: "two"')
      .replace('      token: env:CRM_TOKEN', '      tokn: env:CRM_TOKEN');
    write(dir, 'hmi.yaml', text);
    const lines = text.split('\n');
    const pageLine = lines.findIndex((l) => l.includes('pageSize')) + 1;
    const tokenLine = lines.findIndex((l) => l.includes('tokn')) + 1;
    const { code, stderr } = await hmi(['validate', 'hmi.yaml'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(
      new RegExp(`hmi\\.yaml:${pageLine}:17: connectors\\.ehr\\.config\\.pageSize: expected number, received string`),
    );
    expect(stderr).toMatch(
      new RegExp(`hmi\\.yaml:${tokenLine}:\\d+: connectors\\.crm\\.config\\.tokn: unknown key; did you mean token\\?`),
    );
    expect(stderr).not.toMatch(/two/);
  });

  it('does not second-guess env: references, which only run resolves', async () => {
    const dir = tempDir();
    write(dir, 'hmi.yaml', goodConfig());
    const { code } = await hmi(['validate', 'hmi.yaml'], { cwd: dir });
    expect(code).toBe(0);
  });

  it('names the package to install for a built-in connector that is missing, and the loader a .ts file needs', async () => {
    const { importModule } = await import('../src/connectors/registry.js');
    await expect(
      importModule('@hmi/connector-not-installed', 'nope (@hmi/connector-not-installed)', '@hmi/connector-not-installed'),
    ).rejects.toThrow(/the package @hmi\/connector-not-installed is not installed \(npm install @hmi\/connector-not-installed\)/);
    const { describeImportFailure } = await import('../src/connectors/registry.js');
    const { ConfigError } = await import('@hmi/core');
    // What Node throws when import() meets a .ts file without a loader.
    const nodeError = Object.assign(new TypeError('Unknown file extension ".ts" for /x/crm.ts'), {
      code: 'ERR_UNKNOWN_FILE_EXTENSION',
    });
    const described = describeImportFailure(nodeError, 'file:///x/crm.ts', './connectors/crm.ts');
    expect(ConfigError.isInstance(described)).toBe(true);
    expect(described.message).toMatch(/cannot load \.\/connectors\/crm\.ts: Node cannot import a TypeScript file by itself/);
    const broken = describeImportFailure(
      Object.assign(new SyntaxError('Unexpected token }\n  at x'), {}),
      'file:///x/a.js',
      './a.js',
    );
    expect(broken.message).toBe('cannot load ./a.js: it failed while loading (SyntaxError: Unexpected token })');
  });
});

describe('hmi validate with a connector whose config schema is valibot (any Standard Schema)', () => {
  it('checks @hmi/connector-twilio blocks: a misspelt authToken is named with a suggestion', async () => {
    const { loadConnectorModule } = await import('../src/connectors/registry.js');
    const { checkConnectorBlock } = await import('../src/connectors/check-config.js');
    const loaded = await loadConnectorModule({ use: 'twilio' } as never, tempDir());
    // Was skipped silently while only zod schemas (with safeParse) were recognised.
    expect(loaded.configSchema).toBeDefined();
    expect(loaded.secretKeys?.has('authToken')).toBe(true);
    const issues = checkConnectorBlock('sms', loaded.configSchema!, {
      accountSid: 'env:TWILIO_ACCOUNT_SID',
      authtoken: 'env:TWILIO_AUTH_TOKEN',
      messagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
    });
    expect(issues).toContainEqual({
      path: ['connectors', 'sms', 'config', 'authtoken'],
      message: 'unknown key; did you mean authToken?',
    });
  });
});
