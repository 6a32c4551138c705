import { ValidationError } from '@hmi/core';
import { describe, expect, it } from 'vitest';
import { resolveEnvRefs } from '../src/config/secrets.js';
import { type IntegrationPointConfig, IntegrationPoint } from '../src/index.js';
import { buildRecordPipeline } from '../src/mapping/record-pipeline.js';
import { getPath, pickAllowed, setPath } from '../src/mapping/paths.js';

const point = (extra: Record<string, unknown>): IntegrationPointConfig =>
  IntegrationPoint.parse({
    id: 'p',
    direction: 'inbound',
    source: { connector: 'a', stream: 's' },
    destination: { connector: 'b', action: 'w' },
    purpose: 'operations',
    ...extra,
  });

describe('paths and the allow-list', () => {
  it('reads and writes dot paths, and keeps only allowed fields', () => {
    const record = { id: 'p1', names: [{ given: ['ليلى'] }], address: { city: 'Riyadh', line: 'x' }, nationalId: '1' };
    expect(getPath(record, 'names.0.given.0')).toBe('ليلى');
    expect(getPath(record, 'names.x')).toBeUndefined();
    expect(getPath(record, 'toString')).toBeUndefined();
    expect(pickAllowed(record, ['id', 'address.city', 'missing'])).toEqual({ id: 'p1', address: { city: 'Riyadh' } });
    const target: Record<string, unknown> = {};
    setPath(target, '__proto__.polluted', true);
    setPath(target, 'a.b', 1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(target).toEqual({ a: { b: 1 } });
  });
});

describe('the declarative mapping', () => {
  it('applies transforms in order', async () => {
    const pipeline = await buildRecordPipeline(
      point({
        mapping: {
          defaultRegion: 'AE',
          fields: {
            id: { from: 'id', transform: ['string'] },
            email: { from: 'email', transform: ['trim', 'lower'] },
            phone: { from: 'phone', transform: ['e164'] },
            born: { from: 'dob', transform: ['date'] },
            seen: { from: 'seen', transform: ['datetime'] },
            age: { from: 'age', transform: ['number'] },
            vip: { from: 'vip', transform: ['boolean'] },
            note: { from: 'note', transform: ['emptyToNull'] },
            code: { from: 'code', transform: ['upper'] },
            'meta.source': { const: 'his' },
          },
        },
        fields: ['id', 'email', 'phone', 'born', 'seen', 'age', 'vip', 'note', 'code', 'meta'],
      }),
      '/',
    );
    const out = await pipeline.map(
      {
        id: 7,
        email: ' A@B.AE ',
        phone: '050 111 2233',
        dob: '2001-09-30T22:00:00-02:00',
        seen: 0,
        age: '42',
        vip: 'true',
        note: '  ',
        code: 'ae',
      },
      { syncId: 'p', key: '7' },
    );
    expect(out).toEqual({
      id: '7',
      email: 'a@b.ae',
      phone: '+971501112233',
      born: '2001-10-01',
      seen: '1970-01-01T00:00:00.000Z',
      age: 42,
      vip: true,
      note: null,
      code: 'AE',
      meta: { source: 'his' },
    });
  });

  it('fails, drops the field or skips the record on a bad value, as configured, never quoting it', async () => {
    const make = (onError?: string) =>
      buildRecordPipeline(
        point({
          mapping: { fields: { id: { from: 'id' }, born: { from: 'dob', transform: ['date'], ...(onError && { onError }) } } },
          fields: ['id', 'born'],
        }),
        '/',
      );
    const record = { id: 'x', dob: '2023-02-30' };
    const error = (await Promise.resolve((await make()).map(record, { syncId: 'p', key: 'x' })).catch(
      (e: unknown) => e,
    )) as Error;
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(error.message).toBe('point p: field born: date could not convert the source value');
    expect(await (await make('drop-field')).map(record, { syncId: 'p', key: 'x' })).toEqual({ id: 'x' });
    expect(await (await make('skip-record')).map(record, { syncId: 'p', key: 'x' })).toBeUndefined();
  });

  it('filters on consent and reads the key from the configured path', async () => {
    const pipeline = await buildRecordPipeline(
      point({ key: 'ids.mrn', consent: { required: true, field: 'consent.status', value: 'granted' }, fields: ['ids'] }),
      '/',
    );
    expect(await pipeline.map({ ids: { mrn: 'm1' }, consent: { status: 'granted' } }, { syncId: 'p', key: 'm1' })).toEqual({
      ids: { mrn: 'm1' },
    });
    expect(
      await pipeline.map({ ids: { mrn: 'm2' }, consent: { status: 'revoked' } }, { syncId: 'p', key: 'm2' }),
    ).toBeUndefined();
    expect(pipeline.keyOf!({ ids: { mrn: 'm1' } })).toBe('m1');
    expect(() => pipeline.keyOf!({ ids: {} })).toThrow(ValidationError);
  });
});

describe('env references', () => {
  it('resolves env:NAME anywhere and marks those under secret keys', () => {
    const { value, refs } = resolveEnvRefs(
      { baseUrl: 'env:BASE', auth: { clientSecret: 'env:SECRET', scopes: ['env:SCOPE'] }, plain: 'env-less' },
      { BASE: 'https://x.example', SECRET: 's3cr3t-value', SCOPE: 'read' },
      'connectors.x.config',
    );
    expect(value).toEqual({
      baseUrl: 'https://x.example',
      auth: { clientSecret: 's3cr3t-value', scopes: ['read'] },
      plain: 'env-less',
    });
    expect(refs.map((r) => [r.path, r.name, r.secret])).toEqual([
      ['connectors.x.config.baseUrl', 'BASE', false],
      ['connectors.x.config.auth.clientSecret', 'SECRET', true],
      ['connectors.x.config.auth.scopes.0', 'SCOPE', false],
    ]);
  });
});
