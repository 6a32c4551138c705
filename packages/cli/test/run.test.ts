import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV, FAKE_CONNECTORS, FAKE_MAPPER, goodConfig, hmi, patients, tempDir, write } from './harness.js';

function setupDir(config = goodConfig(), n = 10) {
  const dir = tempDir();
  // The fake connectors read and write files relative to the process, so give them absolute paths.
  write(
    dir,
    'hmi.yaml',
    config.replace('./patients.json', join(dir, 'patients.json')).replace('./crm.json', join(dir, 'crm.json')),
  );
  write(dir, 'patients.json', JSON.stringify(patients(n)));
  return dir;
}

const crmRows = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'crm.json'), 'utf8')) as Record<string, Record<string, unknown>>;

describe('hmi run --once', () => {
  it('syncs through the declarative mapping, the consent filter and the allow-list, into a SQLite store', async () => {
    const dir = setupDir();
    const { code, stdout, stderr } = await hmi(['run', 'hmi.yaml', '--once'], { cwd: dir, env: ENV });
    expect(stderr).toContain('ehr-to-crm-patients');
    expect(code).toBe(0);
    const rows = crmRows(dir);
    // Patients 4 and 8 (index 3 and 7) have no SMS consent: skipped.
    expect(Object.keys(rows).sort()).toEqual(['p1', 'p10', 'p2', 'p3', 'p5', 'p6', 'p7', 'p9']);
    expect(rows.p1).toEqual({
      id: 'p1',
      firstName: 'Omar',
      lastName: 'Hassan',
      email: 'patient1@example.com',
      phone: '+966501234567',
      birthDate: '1990-02-14',
      source: 'ehr',
    });
    expect(rows.p2).toMatchObject({ firstName: 'ليلى', lastName: 'القحطاني', phone: '+971501112233' });
    expect(rows.p3).toMatchObject({ phone: '+201001234567' });
    // Minimum necessary: nationalId is mapped but not allowed, so it never reaches the CRM.
    for (const row of Object.values(rows)) expect(row).not.toHaveProperty('nationalId');
    expect(stdout).toMatch(/POINT\s+STATUS\s+RUNS\s+PAGES\s+READ\s+WRITTEN\s+SKIPPED/);
    expect(stdout).toMatch(/ehr-to-crm-patients\s+ok\s+1\s+3\s+10\s+8\s+2/);
    // Secrets from the environment never show.
    for (const secret of Object.values(ENV)) expect(stdout + stderr).not.toContain(secret);

    // A second run resumes after the checkpoint: nothing new to read.
    const again = await hmi(['run', 'hmi.yaml', '--once', '--json'], { cwd: dir, env: ENV });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).points[0]).toMatchObject({ point: 'ehr-to-crm-patients', ok: true, records: 0, written: 0 });

    const status = await hmi(['status', '--config', 'hmi.yaml'], { cwd: dir });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('outbox: 0 pending (0 leased), 0 done; dead-letter queue: 0');
    expect(status.stdout).toMatch(/ehr-to-crm-patients\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+10\s+/);

    const audit = await hmi(['audit', '--state', 'state.sqlite', '--point', 'ehr-to-crm-patients', '--json'], { cwd: dir });
    const records = JSON.parse(audit.stdout) as Array<{
      operation: string;
      outcome: string;
      recordIds: string[];
      connector: string;
    }>;
    expect(records.map((r) => [r.operation, r.outcome, r.recordIds.length, r.connector])).toEqual([
      ['sync.write', 'success', 3, 'fake-crm'],
      ['sync.write', 'success', 3, 'fake-crm'],
      ['sync.write', 'success', 2, 'fake-crm'],
    ]);
    const table = await hmi(['audit', '--state', 'state.sqlite', '--since', '1h', '--outcome', 'success'], { cwd: dir });
    expect(table.stdout.split('\n')[0]).toMatch(
      /^TIME\s+POINT\s+CONNECTOR\s+OPERATION\s+OUTCOME\s+TRIGGER\s+RECORDS\s+ERROR\s+DURATION$/,
    );
    expect(table.stdout.trim().split('\n')).toHaveLength(5);
    expect(table.stdout).toMatch(/ehr-to-crm-patients\s+fake-crm\s+sync\.write\s+success\s+manual\s+3/);
    const none = await hmi(['audit', '--state', 'state.sqlite', '--outcome', 'failure'], { cwd: dir });
    expect(none.stdout).toBe('no audit records match\n');
  });

  it('fails with exit 1 when a write is refused, keeps the checkpoint, and audits the failure', async () => {
    const dir = setupDir(goodConfig().replace('      token: env:CRM_TOKEN', '      token: env:CRM_TOKEN\n      failOn: p6'));
    const { code, stdout, stderr } = await hmi(['run', 'hmi.yaml', '--once'], { cwd: dir, env: ENV });
    expect(code).toBe(1);
    expect(stdout).toMatch(/ehr-to-crm-patients\s+failed\s+1\s+1\s+0\s+3\s+0\s+\S+\s+sync_failed/);
    expect(stderr).toContain(
      'sync "ehr-to-crm-patients" failed at write after 1 attempt(s): api_error: the CRM refused the contact',
    );
    // The second page was being written (4 at a time) when p6 was refused: its other records may
    // be there (an upsert replays them harmlessly), but the checkpoint stays after the first page.
    expect(Object.keys(crmRows(dir)).sort()).toEqual(expect.arrayContaining(['p1', 'p2', 'p3']));
    expect(crmRows(dir)).not.toHaveProperty('p6');
    const status0 = await hmi(['status', '--config', 'hmi.yaml', '--json'], { cwd: dir });
    expect(JSON.parse(status0.stdout).points[0]).toMatchObject({ point: 'ehr-to-crm-patients', checkpoint: '4' });
    const audit = await hmi(['audit', '--state', 'state.sqlite', '--outcome', 'failure', '--json'], { cwd: dir });
    expect(JSON.parse(audit.stdout)).toMatchObject([{ operation: 'sync.run', outcome: 'failure', errorCode: 'sync_failed' }]);
    const status = await hmi(['status', '--state', 'state.sqlite'], { cwd: dir });
    expect(status.stdout).toMatch(/ehr-to-crm-patients\s+.*sync\.run\s+failure\s+\S+ \S+\s+sync_failed/);
  });

  it('a missing environment variable is a config error naming it (exit 2), with no value shown', async () => {
    const dir = setupDir();
    const { code, stderr } = await hmi(['run', 'hmi.yaml', '--once'], { cwd: dir, env: { EHR_API_KEY: ENV.EHR_API_KEY } });
    expect(code).toBe(2);
    expect(stderr).toBe('hmi: environment variable CRM_TOKEN is not set (needed by connectors.crm.config.token)\n');
  });

  it('runs a typed mapper module, and fails a record whose phone cannot be converted', async () => {
    const mapped = goodConfig()
      .replace(/ {4}mapping:\n[\s\S]*? {4}fields: \[/, `    mapping:\n      module: ${FAKE_MAPPER}\n    fields: [`)
      .replace('fields: [id, firstName, lastName, email, phone, birthDate, source]', 'fields: [id, fullName]');
    const dir = setupDir(mapped, 3);
    expect((await hmi(['run', 'hmi.yaml', '--once'], { cwd: dir, env: ENV })).code).toBe(0);
    expect(crmRows(dir)).toEqual({
      p1: { id: 'p1', fullName: 'Omar Hassan' },
      p2: { id: 'p2', fullName: 'ليلى القحطاني' },
      p3: { id: 'p3', fullName: 'Omar Hassan' },
    });

    const dir2 = setupDir(goodConfig(), 2);
    const data = patients(2);
    data[1]!.phone = 'not a phone';
    writeFileSync(join(dir2, 'patients.json'), JSON.stringify(data));
    const failed = await hmi(['run', 'hmi.yaml', '--once'], { cwd: dir2, env: ENV });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('point ehr-to-crm-patients: field phone: e164 could not convert the source value');
    expect(failed.stderr).not.toContain('not a phone');
  });

  it('drops a field or skips the record when the field says so', async () => {
    const config = goodConfig().replace(
      'phone: { from: phone, transform: [e164] }',
      'phone: { from: phone, transform: [e164], onError: drop-field }',
    );
    const dir = setupDir(config, 2);
    const data = patients(2);
    data[0]!.phone = '12';
    writeFileSync(join(dir, 'patients.json'), JSON.stringify(data));
    expect((await hmi(['run', 'hmi.yaml', '--once'], { cwd: dir, env: ENV })).code).toBe(0);
    expect(crmRows(dir).p1).not.toHaveProperty('phone');
    expect(crmRows(dir).p2).toHaveProperty('phone', '+971501112233');
  });

  it('runs only the points asked for, and refuses an unknown one', async () => {
    const dir = setupDir();
    const unknown = await hmi(['run', 'hmi.yaml', '--once', '--point', 'nope'], { cwd: dir, env: ENV });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no integration point "nope"');
  });

  it('without --once runs scheduled points until stopped, printing a line per run', async () => {
    const dir = setupDir(
      goodConfig().replace('    purpose: transactional', '    schedule: { every: 1h }\n    purpose: transactional'),
    );
    const controller = new AbortController();
    const running = hmi(['run', 'hmi.yaml'], { cwd: dir, env: ENV, signal: controller.signal });
    for (let i = 0; i < 200 && !existsRows(dir); i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    const { code, stdout, stderr } = await running;
    expect(code).toBe(0);
    expect(stderr).toContain('running 1 scheduled point(s)');
    expect(stdout).toMatch(/ehr-to-crm-patients: ok, 10 read, 8 written, 2 skipped in/);
    expect(stdout).toMatch(/ehr-to-crm-patients\s+ok\s+1\s+3\s+10\s+8\s+2/);
  });

  it('keeps state in memory with a warning when no state path is given', async () => {
    const dir = setupDir(goodConfig().replace('state:\n  path: ./state.sqlite\n', ''));
    const { code, stderr } = await hmi(['run', 'hmi.yaml', '--once'], { cwd: dir, env: ENV });
    expect(code).toBe(0);
    expect(stderr).toContain('warning: no --state and no state.path in the config');
  });

  it('loads a connector from the registry by id (use: sendgrid) and reports a missing stream', async () => {
    const config = goodConfig().replace(
      `  crm:\n    package: ${FAKE_CONNECTORS}\n    export: createFakeCrm\n    config:\n      outFile: ./crm.json\n      token: env:CRM_TOKEN`,
      '  crm:\n    use: sendgrid\n    config:\n      apiKey: env:CRM_TOKEN\n      from: { email: noreply@hospital.example }',
    );
    const dir = setupDir(config);
    expect((await hmi(['validate', 'hmi.yaml'], { cwd: dir })).code).toBe(0);
    const result = await hmi(['run', 'hmi.yaml', '--once'], { cwd: dir, env: ENV });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/connector crm has no action "upsertContact" \(it has: sendEmail/);
  });
});

function existsRows(dir: string): boolean {
  try {
    return Object.keys(crmRows(dir)).length >= 8;
  } catch {
    return false;
  }
}
