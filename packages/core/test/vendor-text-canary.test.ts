import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  type ConsentQuery,
  createConsentGate,
  createTelemetry,
  defineConnector,
  HmiError,
  type HmiError as HmiErrorType,
  safeVendorMessage,
} from '@hmi/core';
import { expectNoLeaks } from '@hmi/testing';
import { z } from 'zod';

const NAME = 'Zarqa Canarya';
const PHONE = '+966555123456';
const MRN = 'MRN-00912345';
const CANARIES = [NAME, 'Zarqa', 'Canarya', PHONE, '966555123456', '555123456', MRN, '00912345'];

const marketing: ConsentQuery = { recipient: PHONE, channel: 'sms', purpose: 'marketing' };

describe('vendor and host text never carries values into errors', () => {
  it('a consent checker that throws with a name, a phone and an MRN leaves none of them in the error', async () => {
    const throwers: Array<() => never> = [
      () => {
        throw new Error(`consent store: no row for ${NAME} (${PHONE}) ${MRN}`);
      },
      () => {
        const e = new TypeError(`lookup failed for ${MRN}`) as TypeError & { code: string; patient: string };
        e.code = MRN;
        e.patient = NAME;
        throw e;
      },
      () => {
        // A message with lines that look like stack frames must not pass as frames.
        throw new Error(`x\n    at ${NAME} (${PHONE})\n    at ${MRN}`);
      },
      () => {
        const e = new Error('boom');
        e.name = `${NAME} Error`;
        throw e;
      },
      () => {
        throw new Error('outer', { cause: new Error(`${NAME} ${PHONE}`) });
      },
    ];
    for (const thrower of throwers) {
      const telemetry = createTelemetry();
      const seen: unknown[] = [];
      telemetry.onAny((name, payload) => seen.push([name, payload]));
      const gate = createConsentGate({ check: thrower }, 'sms');
      const error = await gate.assertAllowed(marketing).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(HmiError.isInstance(error)).toBe(true);
      expect((error as { reason: string }).reason).toBe('check_failed');
      expectNoLeaks([error], CANARIES);
      telemetry.emit('error', { connector: 'sms', error: (error as HmiErrorType).toJSON() });
      expectNoLeaks(seen, CANARIES);
    }
  });

  it('the cause keeps the error name, a safe code, a known runtime message and the stack frames', () => {
    const original = Object.assign(new TypeError('fetch failed'), { code: 'ECONNREFUSED' });
    const error = new HmiError('request failed', { cause: original });
    const cause = (error as { cause?: Error & { code?: string } }).cause!;
    expect(cause.name).toBe('TypeError');
    expect(cause.message).toBe('fetch failed');
    expect(cause.code).toBe('ECONNREFUSED');
    expect(cause.stack).toMatch(/^TypeError: fetch failed\n\s+at /);
    const unknown = (new HmiError('x', { cause: new Error(`Patient ${NAME} not found`) }) as { cause?: Error }).cause!;
    expect(unknown.message).toBe('[message withheld]');
  });

  it('an action that throws a foreign error with patient text gives an internal_error without it', async () => {
    const telemetry = createTelemetry();
    const seen: unknown[] = [];
    telemetry.onAny((name, payload) => seen.push([name, payload]));
    const connector = defineConnector({
      id: 'acme',
      name: 'Acme',
      category: 'other',
      version: '1.0.0',
      config: z.object({}),
      setup: () => ({}),
      actions: {
        send: {
          input: z.object({}),
          output: z.object({}),
          idempotent: true,
          run: async () => {
            throw new Error(`SDK: recipient ${NAME} ${PHONE} ${MRN} rejected`);
          },
        },
      },
    });
    const instance = connector.create({}, { telemetry });
    const error = await instance.actions.send({}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(HmiError.isInstance(error)).toBe(true);
    expectNoLeaks([error], CANARIES);
    expectNoLeaks(seen, CANARIES);
    // A foreign error emitted as is: the redactor keeps only its name and a withheld message.
    telemetry.emit('error', { connector: 'acme', error: new Error(`${NAME} ${PHONE}`) as never });
    expectNoLeaks(seen, CANARIES);
  });

  it('vendorField keeps a field path and drops anything else', () => {
    expect(new ApiError('x', { vendorField: 'personalizations[0].to' }).toJSON().vendorField).toBe('personalizations[0].to');
    for (const bad of [NAME, PHONE, 'to.+966555123456', 'a'.repeat(200), 'email@x.sa', MRN.replace('-', '')]) {
      expect(new ApiError('x', { vendorField: bad }).vendorField, bad).toBeUndefined();
    }
  });
});

describe('safeVendorMessage', () => {
  const templates = ['Recipient {email} is on a suppression list', 'The from address does not match a verified Sender Identity'];

  it('keeps a known message in the template form, never the vendor text', () => {
    const kept = safeVendorMessage(`Recipient ${NAME} ${PHONE} is on a suppression list`, templates);
    expect(kept).toBe('Recipient … is on a suppression list');
    expect(safeVendorMessage('the from address does not match a verified sender identity.', templates)).toBe(templates[1]);
  });

  it('drops unknown, overlong and non-string text', () => {
    expect(safeVendorMessage(`Unknown error for ${NAME}`, templates)).toBeUndefined();
    expect(safeVendorMessage(`Recipient ${'x'.repeat(600)} is on a suppression list`, templates)).toBeUndefined();
    expect(safeVendorMessage(42, templates)).toBeUndefined();
    expect(safeVendorMessage('Recipient  is on a suppression list', templates)).toBeUndefined();
    // Template text is literal: regex characters in it match only themselves.
    expect(safeVendorMessage('a+b', ['a.b'])).toBeUndefined();
  });

  it('is linear enough: a long hostile message against many placeholders returns quickly', () => {
    const hostile = `${'a '.repeat(240)}!`;
    const result = safeVendorMessage(hostile, ['{a} {b} {c} {d} {e} {f} end']);
    expect(result).toBeUndefined();
  });

  it('returns a template form or nothing, whatever the text (property)', () => {
    const kept = new Set(templates.map((t) => t.replace(/\{[A-Za-z0-9_]*\}/g, '…')));
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), fc.string({ maxLength: 40 }), (noise, value) => {
        for (const text of [noise, `Recipient ${value} is on a suppression list`, `${noise}${value}`]) {
          const result = safeVendorMessage(text, templates);
          if (result !== undefined) expect(kept.has(result)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
