import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@hmi/core';
import { decodeFormBody, findSpecsDir, loadSpecFile, SPECS_DIR_ENV, type FormValue } from '@hmi/testing';

describe('decodeFormBody', () => {
  it('nests bracket keys, builds lists from indices, [] and repeated keys', () => {
    expect(
      decodeFormBody(
        'a=1&metadata[order]=42&metadata[ward]=ب&items[0][price]=p_1&items[0][quantity]=2&items[1][price]=p_2&expand[]=x&expand[]=y&To=1&To=2',
      ),
    ).toEqual({
      a: '1',
      metadata: { order: '42', ward: 'ب' },
      items: [{ price: 'p_1', quantity: '2' }, { price: 'p_2' }],
      expand: ['x', 'y'],
      To: ['1', '2'],
    });
  });

  it('keeps sparse or mixed numeric keys as an object, and odd keys literally', () => {
    expect(decodeFormBody('a[1]=x&b[0]=y&b[k]=z&c]=1&[d]=2&e[f=3')).toEqual({
      a: { '1': 'x' },
      b: { '0': 'y', k: 'z' },
      'c]': '1',
      '[d]': '2',
      'e[f': '3',
    });
  });

  it('drops prototype-polluting keys', () => {
    const decoded = decodeFormBody('__proto__[polluted]=1&a[constructor][prototype][x]=1&safe=1');
    expect(decoded).toEqual({ safe: '1' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('round-trips any nested object encoded the way Stripe encodes it (property)', () => {
    const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
    const leaf = fc.string({ maxLength: 12 });
    const value: fc.Arbitrary<FormValue> = fc.letrec<{ v: FormValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('v'), { minLength: 1, maxLength: 3 }),
        fc.dictionary(key, tie('v'), { minKeys: 1, maxKeys: 3 }),
      ),
    })).v;
    const encode = (prefix: string, v: FormValue, out: URLSearchParams) => {
      if (typeof v === 'string') out.append(prefix, v);
      else if (Array.isArray(v)) for (const [i, item] of v.entries()) encode(`${prefix}[${i}]`, item, out);
      else for (const [k, item] of Object.entries(v)) encode(`${prefix}[${k}]`, item, out);
    };
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }), (object) => {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(object)) encode(k, v, params);
        expect(decodeFormBody(params.toString())).toEqual(object);
      }),
      { numRuns: 300 },
    );
  });
});

describe('findSpecsDir', () => {
  const saved = process.env[SPECS_DIR_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[SPECS_DIR_ENV];
    else process.env[SPECS_DIR_ENV] = saved;
  });

  it('finds ../shared/specs above the repository, from a path or a file URL', () => {
    delete process.env[SPECS_DIR_ENV];
    const dir = findSpecsDir(import.meta.url);
    expect(dir).toMatch(/[/\\]shared[/\\]specs$/);
    expect(loadSpecFile(join(dir, 'sendgrid/tsg_mail_v3.json'))).toMatchObject({ openapi: '3.1.0' });
  });

  it('walks up from a nested folder', () => {
    delete process.env[SPECS_DIR_ENV];
    const root = mkdtempSync(join(tmpdir(), 'hmi-specs-'));
    mkdirSync(join(root, 'shared', 'specs'), { recursive: true });
    mkdirSync(join(root, 'repo', 'packages', 'x'), { recursive: true });
    writeFileSync(join(root, 'repo', 'packages', 'x', 'a.test.ts'), '');
    expect(findSpecsDir(pathToFileURL(join(root, 'repo', 'packages', 'x', 'a.test.ts')))).toBe(join(root, 'shared', 'specs'));
  });

  it('honours HMI_SPECS_DIR, and refuses one that does not exist', () => {
    const root = mkdtempSync(join(tmpdir(), 'hmi-specs-env-'));
    process.env[SPECS_DIR_ENV] = root;
    expect(findSpecsDir('/')).toBe(root);
    process.env[SPECS_DIR_ENV] = join(root, 'missing');
    expect(() => findSpecsDir()).toThrow(ConfigError);
  });

  it('says where it looked and what to do when there is no specs folder', () => {
    delete process.env[SPECS_DIR_ENV];
    const lonely = mkdtempSync(join(tmpdir(), 'hmi-nospecs-'));
    let error: unknown;
    try {
      findSpecsDir(lonely);
    } catch (e) {
      error = e;
    }
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/no shared\/specs folder in .*hmi-nospecs-.* or any folder above it.*HMI_SPECS_DIR/);
  });
});
