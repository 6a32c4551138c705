import { ApiError, AuthError, isHmiError, ValidationError } from '@hmi/core';
import { expectNoLeaks } from '@hmi/testing';
import { describe, expect, it } from 'vitest';
import { apiKey, PROTOCOLS, setup, useServer } from './helpers.js';

const server = useServer();

// Canaries: what Odoo's free text and traceback carry — a patient's name, a phone, a record value.
const CANARY = 'CANARY_odoo_debug_7f3a91';
const PATIENT = 'فاطمة عبدالله الحربي';
const debug = `Traceback (most recent call last):\n  File "/opt/odoo/odoo/models.py", line 4021, in check_access\n    raise AccessError(msg)\nodoo.exceptions.AccessError: ${CANARY} partner ${PATIENT} +966555123456\n`;

describe.each(PROTOCOLS)('errors over %s', (protocol) => {
  it('an AccessError whose debug traceback holds a canary becomes an AuthError that shows it nowhere', async () => {
    const { fake, odoo, events } = setup(server, protocol);
    fake.state.failNext({
      exception: 'odoo.exceptions.AccessError',
      message: `${CANARY}: you may not read ${PATIENT}`,
      debug,
      model: 'account.move',
    });
    const error = await odoo.actions.getInvoice({ id: 1 }).catch((e: unknown) => e);
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'forbidden',
      vendorCode: 'odoo.exceptions.AccessError',
      retryable: false,
      connector: 'odoo',
    });
    expectNoLeaks([error, events], [CANARY, PATIENT, '+966555123456', 'Traceback', apiKey]);
    // The fault really was answered with the canary in it (the scan is not vacuous).
    expect(fake.state.requests.some((r) => r.model === 'account.move')).toBe(true);
  });

  it.each([
    ['odoo.exceptions.MissingError', (e: unknown) => ApiError.isInstance(e) && e.code === 'not_found'],
    ['odoo.exceptions.ValidationError', (e: unknown) => ValidationError.isInstance(e)],
    ['odoo.exceptions.UserError', (e: unknown) => ValidationError.isInstance(e)],
    ['odoo.exceptions.AccessDenied', (e: unknown) => AuthError.isInstance(e) && e.code === 'auth_error'],
    ['psycopg2.errors.UniqueViolation', (e: unknown) => ApiError.isInstance(e) && e.code === 'conflict'],
    ['builtins.RuntimeError', (e: unknown) => ApiError.isInstance(e) && e.retryable === false],
  ])('%s is mapped to its typed error, with no vendor text', async (exception, check) => {
    const { fake, odoo } = setup(server, protocol);
    fake.state.failNext({ exception, message: `${CANARY} ${PATIENT}`, debug, model: 'account.move' });
    const error = await odoo.actions.getInvoice({ id: 1 }).catch((e: unknown) => e);
    expect(check(error)).toBe(true);
    expectNoLeaks([error], [CANARY]);
  });

  it('a serialization failure on a read is transient: the core repeats it and the read succeeds', async () => {
    const { fake, odoo } = setup(server, protocol);
    fake.state.failNext(
      { exception: 'psycopg2.errors.SerializationFailure', message: 'could not serialize access', model: 'hr.employee' },
      2,
    );
    const names: string[] = [];
    for await (const page of odoo.streams.employees.read()) names.push(...page.records.map((r) => r.name));
    expect(names).toHaveLength(3);
    const calls = fake.state.requests.filter((r) => r.model === 'hr.employee');
    expect(calls).toHaveLength(3);
    // Every attempt of the read carried one call id.
    expect(new Set(calls.map((c) => c.callId)).size).toBe(1);
  });

  it('a proxy 502 on a create is not repeated blindly: outcomeUnknown, one create sent', async () => {
    const { fake, seeded, odoo } = setup(server, protocol);
    fake.state.failNext({ httpStatus: 502, model: 'account.move', method: 'create' });
    const error = await odoo.actions
      .createInvoice({ partner: seeded.patient, currency: 'SAR', ref: 'X-1', lines: [{ description: 'x', unitAmountMinor: 1 }] })
      .catch((e: unknown) => e);
    expect(isHmiError(error) && error.outcomeUnknown && !error.retryable).toBe(true);
    expect(fake.state.requests.filter((r) => r.method === 'create' && r.model === 'account.move')).toHaveLength(1);
  });

  it('a wrong API key is an AuthError that does not contain the key', async () => {
    const { odoo } = setup(server, protocol, { apiKey: 'wrong_key_CANARY_4411' });
    const error = await odoo.actions.getInvoice({ id: 1 }).catch((e: unknown) => e);
    expect(AuthError.isInstance(error)).toBe(true);
    expectNoLeaks([error], ['wrong_key_CANARY_4411']);
    const check = await odoo.check();
    expect(check.ok).toBe(false);
  });
});

describe('config', () => {
  it('jsonrpc needs database and login; the ConfigError names them, never the key', async () => {
    const { createOdooConnector } = await import('../src/index.js');
    const error = (() => {
      try {
        createOdooConnector({ baseUrl: 'https://erp.example', apiKey: 'secret_CANARY_998877', protocol: 'jsonrpc' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/database/);
    expect(error?.message).toMatch(/login/);
    expectNoLeaks([error], ['secret_CANARY_998877']);
  });
});
