import { decodeFormBody } from '@hmi/core/internal';
import { decodeStripeForm } from '@hmi/connector-stripe';
import { decodeFormBody as kitDecode } from '@hmi/testing';
import { afterEach, describe, expect, it } from 'vitest';

const probe = () => ({}) as Record<string, unknown>;

afterEach(() => {
  // If a case ever pollutes, clean up so the other cases still report their own result.
  for (const key of ['polluted', 'x', 'y', 'z']) delete (Object.prototype as Record<string, unknown>)[key];
});

describe('decodeStripeForm: prototype pollution (issue 11 #3)', () => {
  const hostile = [
    '__proto__[polluted]=yes',
    '__proto__%5Bpolluted%5D=yes',
    'constructor[prototype][polluted]=yes',
    'a[__proto__][polluted]=yes',
    'a[constructor][prototype][polluted]=yes',
    'items[0][__proto__][polluted]=yes',
    'items[][__proto__][polluted]=yes',
    'a[b][c][__proto__][polluted]=yes',
    '__proto__=x&__proto__[polluted]=yes',
    'prototype[polluted]=yes',
  ];

  it.each(hostile)('%s sets nothing on Object.prototype', (body) => {
    const decoded = decodeStripeForm(`${body}&keep=1`);
    expect(probe().polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(decoded.keep).toBe('1');
    expect(JSON.stringify(decoded)).not.toContain('polluted');
  });

  it('is the one guarded decoder the kit uses too', () => {
    const body = 'metadata[order]=42&items[0][price]=p_1&items[1][price]=p_2&expand[]=a&expand[]=b&constructor[prototype][x]=1';
    expect(decodeStripeForm(body)).toEqual(decodeFormBody(body));
    expect(kitDecode(body)).toEqual(decodeFormBody(body));
    expect(decodeStripeForm(body)).toEqual({
      metadata: { order: '42' },
      items: [{ price: 'p_1' }, { price: 'p_2' }],
      expand: ['a', 'b'],
    });
  });

  it('keeps absurdly deep keys literal instead of recursing', () => {
    const key = `a${'[b]'.repeat(5000)}`;
    const decoded = decodeStripeForm(`${key}=1`);
    expect(decoded[key]).toBe('1');
  });

  it('appends with [] in linear time (no probing from 0 each time)', () => {
    const body = Array.from({ length: 50_000 }, (_, i) => `a[]=${i}`).join('&');
    const decoded = decodeStripeForm(body) as { a: string[] };
    expect(decoded.a).toHaveLength(50_000);
    expect(decoded.a[49_999]).toBe('49999');
  });
});
