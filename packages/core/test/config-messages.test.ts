import { expectNoLeaks } from '@hmi/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, defineConnector, secret } from '../src/index.js';
import { suggestKey } from '../src/connector/unknown-keys.js';

const connector = defineConnector({
  id: 'probe',
  name: 'Probe',
  category: 'crm',
  version: '0.0.0',
  config: z.object({
    accountSid: z.string().regex(/^AC[0-9a-f]{32}$/, 'AC followed by 32 hex characters'),
    region: z
      .string()
      .regex(/^[a-z]{2}\d$/)
      .optional(),
    authToken: secret(z.string()),
    mode: z.enum(['live', 'test']).default('live'),
    auth: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('basic'), user: z.string() }),
        z.object({ type: z.literal('bearer'), token: z.string() }),
      ])
      .optional(),
    pageSize: z.number().int().optional(),
    limits: z.object({ perSecond: z.number() }).optional(),
  }),
  setup: () => ({}),
  actions: {},
});

function configError(config: unknown): ConfigError {
  try {
    connector.create(config as never);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('config was accepted');
}

const sid = `AC${'0'.repeat(32)}`;

describe('config errors that help', () => {
  it('says a missing field is required', () => {
    expect(configError({ accountSid: sid }).message).toMatch(/authToken: required \(expected string\)/);
  });

  it('says the format a regex wants: the author’s words, else the pattern', () => {
    expect(configError({ accountSid: 'AC12', authToken: 't' }).message).toMatch(
      /accountSid: invalid format: AC followed by 32 hex characters/,
    );
    expect(configError({ accountSid: sid, authToken: 't', region: 'x' }).message).toMatch(
      /region: invalid format: must match \/\^\[a-z\]\{2\}\\d\$\//,
    );
  });

  it('lists the allowed values and union types', () => {
    expect(configError({ accountSid: sid, authToken: 't', mode: 'prod' }).message).toMatch(
      /mode: expected one of "live" \| "test"/,
    );
    expect(configError({ accountSid: sid, authToken: 't', auth: { type: 'digest' } }).message).toMatch(
      /auth\.type: expected one of "basic" \| "bearer"/,
    );
  });

  it('names the type received for a wrong type, not the value', () => {
    const error = configError({ accountSid: sid, authToken: 't', pageSize: 'two' });
    expect(error.message).toMatch(/pageSize: expected number, received string/);
    expect(error.message).not.toMatch(/two/);
  });

  it('refuses a misspelt key with a suggestion, without echoing its value', () => {
    const error = configError({ accountSid: sid, authtoken: 'tok_CANARY_1' });
    expect(error.message).toMatch(/authtoken: unknown key; did you mean authToken\?/);
    expectNoLeaks([error], ['tok_CANARY_1']);
    expect(configError({ accountSid: sid, authToken: 't', limits: { persecond: 3 } }).message).toMatch(
      /limits\.persecond: unknown key; did you mean perSecond\?/,
    );
    expect(configError({ accountSid: sid, authToken: 't', colour: 'x' }).message).toMatch(
      /colour: unknown key; known keys: accountSid/,
    );
  });

  it('accepts a valid config, and an explicit undefined for an unknown key', () => {
    expect(() => connector.create({ accountSid: sid, authToken: 't', extra: undefined } as never)).not.toThrow();
  });

  it('suggests only close names', () => {
    expect(suggestKey('authtoken', ['authToken', 'accountSid'])).toBe('authToken');
    expect(suggestKey('acountSid', ['authToken', 'accountSid'])).toBe('accountSid');
    expect(suggestKey('zebra', ['authToken', 'accountSid'])).toBeUndefined();
  });
});
