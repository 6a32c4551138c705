import { describe, expect, it } from 'vitest';
import { ConsentError, type ConsentQuery, createConsentGate } from '@hmi/core';

const reminder: ConsentQuery = { recipient: '+966555123456', channel: 'sms', purpose: 'transactional' };
const optedOut = new Set(['+966555123456']);

describe('consent gate: checkTransactional', () => {
  it('default: transactional sends never ask the host (and pass even when it would say no)', async () => {
    const asked: ConsentQuery[] = [];
    const gate = createConsentGate({
      check: (q) => {
        asked.push(q);
        return false;
      },
    });
    await expect(gate.assertAllowed(reminder)).resolves.toBeUndefined();
    expect(asked).toEqual([]);
  });

  it('on: a transactional send to an opted-out number (SMS STOP) is refused before sending', async () => {
    const asked: ConsentQuery[] = [];
    const gate = createConsentGate(
      {
        checkTransactional: true,
        check: (q) => {
          asked.push(q);
          return !optedOut.has(q.recipient);
        },
      },
      'twilio',
    );
    const error = await gate.assertAllowed(reminder).catch((e: unknown) => e);
    expect(ConsentError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'opted_out', connector: 'twilio', retryable: false });
    expect(JSON.stringify(error)).not.toContain('966555123456');
    expect(asked).toEqual([reminder]);
    await expect(gate.assertAllowed({ ...reminder, recipient: '+971501234567' })).resolves.toBeUndefined();
  });

  it('on: a failing or malformed check fails closed; { allowed: true } passes; quiet hours do not apply', async () => {
    const failing = createConsentGate({
      checkTransactional: true,
      check: () => {
        throw new Error('store down');
      },
    });
    await expect(failing.assertAllowed(reminder)).rejects.toMatchObject({ reason: 'check_failed' });
    const malformed = createConsentGate({ checkTransactional: true, check: () => 'yes' as never });
    await expect(malformed.assertAllowed(reminder)).rejects.toMatchObject({ reason: 'check_failed' });
    const quiet = createConsentGate({
      checkTransactional: true,
      check: () => ({ allowed: true, timeZone: 'Asia/Riyadh' }),
      quietHours: { start: '00:00', end: '23:59' },
    });
    await expect(quiet.assertAllowed(reminder, new Date('2025-01-01T12:00:00Z'))).resolves.toBeUndefined();
  });

  it('on without a check: transactional sends still pass', async () => {
    await expect(createConsentGate({ checkTransactional: true }).assertAllowed(reminder)).resolves.toBeUndefined();
  });
});
