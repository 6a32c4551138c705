import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isHmiError } from '@hmi/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorNames, main, scaffoldConnector } from '../src/index.js';
import { renameTemplatePath, renameTemplateText } from '../src/names.js';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const templateDir = join(pkgDir, 'template');
const work = mkdtempSync(join(tmpdir(), 'hmi-create-connector-'));

beforeAll(() => {
  execFileSync(process.execPath, [join(pkgDir, 'scripts', 'copy-template.mjs')], { stdio: 'ignore' });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('connectorNames', () => {
  it('spells a name every way from what a user types', () => {
    expect(connectorNames('Acme CRM')).toEqual({ kebab: 'acme-crm', pascal: 'AcmeCrm', camel: 'acmeCrm', upper: 'ACME_CRM' });
    expect(connectorNames('acme_crm')).toEqual(connectorNames('acme-crm'));
    expect(connectorNames('AcmeCrm').kebab).toBe('acme-crm');
  });

  it.each(['', '1acme', 'acme/../../etc', 'عيادة', 'a'.repeat(41)])('refuses %j with a typed error', (name) => {
    let caught: unknown;
    try {
      connectorNames(name);
    } catch (error) {
      caught = error;
    }
    expect(isHmiError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/letters, digits and dashes/);
  });
});

describe('renaming the template', () => {
  const names = connectorNames('acme-crm');
  it('renames identifiers and file names, not the word "survey" in prose', () => {
    expect(renameTemplateText('export { createClinicSurveyConnector, SurveyConfig } from "./survey-config.js";', names)).toBe(
      'export { createAcmeCrmConnector, AcmeCrmConfig } from "./acme-crm-config.js";',
    );
    expect(renameTemplateText('SURVEY_SIGNATURE_HEADER sendSurvey surveyResponseFixtures', names)).toBe(
      'ACME_CRM_SIGNATURE_HEADER sendAcmeCrm acmeCrmResponseFixtures',
    );
    expect(renameTemplateText('a made-up patient-satisfaction survey API', names)).toBe(
      'a made-up patient-satisfaction survey API',
    );
    expect(renameTemplatePath('src/survey-config.ts', names)).toBe('src/acme-crm-config.ts');
    expect(renameTemplatePath('openapi/clinic-survey.yaml', names)).toBe('openapi/acme-crm.yaml');
    expect(renameTemplatePath('src/responses/responses-stream.ts', names)).toBe('src/responses/responses-stream.ts');
  });
});

describe('scaffoldConnector', () => {
  const directory = join(work, 'connector-acme-crm');
  let result: ReturnType<typeof scaffoldConnector>;
  beforeAll(() => {
    result = scaffoldConnector({ name: 'Acme CRM', directory, templateDir });
  });

  it('writes the connector shape with its own package files', () => {
    for (const file of [
      'package.json',
      'tsconfig.json',
      'vitest.config.ts',
      'tsup.config.ts',
      'README.md',
      '.gitignore',
      'src/index.ts',
      'src/acme-crm-config.ts',
      'src/acme-crm-context.ts',
      'src/acme-crm-error.ts',
      'src/acme-crm-connector.ts',
      'src/msw/index.ts',
      'openapi/acme-crm.yaml',
      'test/contract.test.ts',
    ]) {
      expect(result.files).toContain(file);
    }
  });

  it('stands alone: no workspace ranges, no paths out of the package, pinned tools', () => {
    const pkg = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('connector-acme-crm');
    expect(JSON.stringify(pkg)).not.toMatch(/workspace:/);
    expect(pkg.dependencies['@hmi/core']).toMatch(/^\^\d+\.\d+\.\d+/);
    for (const tool of ['vitest', 'msw', 'tsup', 'typescript', 'zod'])
      expect(pkg.devDependencies[tool]).toMatch(/^\d+\.\d+\.\d+/);
    expect(pkg.scripts.test).toBe('vitest run');
    for (const file of result.files) {
      const text = readFileSync(join(directory, file), 'utf8');
      expect(text, file).not.toMatch(/\.\.\/\.\.\//);
      expect(text, file).not.toMatch(/ClinicSurvey|clinic-survey|createSurvey|SurveyConfig/);
    }
    expect(readFileSync(join(directory, 'vitest.config.ts'), 'utf8')).toMatch(/root: fileURLToPath/);
    expect(JSON.parse(readFileSync(join(directory, 'tsconfig.json'), 'utf8')).extends).toBeUndefined();
  });

  it('exports the renamed factory, definition and webhook helpers', () => {
    const index = readFileSync(join(directory, 'src/index.ts'), 'utf8');
    expect(index).toMatch(/createAcmeCrmConnector/);
    expect(index).toMatch(/acmeCrmConnector/);
    expect(index).toMatch(/verifyAcmeCrmSignature/);
    expect(index).toMatch(/from '\.\/acme-crm-connector\.js'/);
  });

  it('refuses a folder that is not empty unless forced', () => {
    const busy = join(work, 'busy');
    scaffoldConnector({ name: 'x-ray', directory: busy, templateDir });
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    expect(() => scaffoldConnector({ name: 'x-ray', directory: busy, templateDir })).toThrow(/not empty/);
    expect(scaffoldConnector({ name: 'x-ray', directory: busy, templateDir, force: true }).files.length).toBeGreaterThan(10);
  });
});

describe('the command', () => {
  it('prints usage and the next commands, and exits non-zero on bad input', () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(
      main(
        [],
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(2);
    expect(out.join('\n')).toMatch(/usage: npm create @hmi\/connector/);
    expect(
      main(
        ['--nope'],
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(2);
    expect(err.at(-1)).toMatch(/unknown option --nope/);
    expect(
      main(
        ['9lives', '--dir', join(work, 'nine')],
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(1);
    expect(err.at(-1)).toMatch(/letters, digits and dashes/);
  });
});
