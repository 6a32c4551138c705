import { describe, expect, it } from 'vitest';
import { ConsentError, type ConsentQuery, createConsentGate, type HmiError, isDeceased } from '@hmi/core';
import { Contact } from '@hmi/core/schemas';

const marketing: ConsentQuery = { recipient: '+966555123456', channel: 'sms', purpose: 'marketing' };

async function refusal(p: Promise<unknown>): Promise<ConsentError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e as HmiError,
  );
  expect(ConsentError.isInstance(error)).toBe(true);
  return error as ConsentError;
}

describe('consent gate: deceased patients are excluded from marketing (issue 12)', () => {
  it('refuses marketing to a deceased patient even when the host consented', async () => {
    let asked = 0;
    const gate = createConsentGate({
      check: () => {
        asked++;
        return true;
      },
    });
    expect((await refusal(gate.assertAllowed({ ...marketing, deceased: true }))).reason).toBe('deceased');
    expect(asked).toBe(0);
    await expect(gate.assertAllowed({ ...marketing, deceased: false })).resolves.toBeUndefined();
  });

  it('asks isDeceased when the query does not say, and fails closed when it throws', async () => {
    const dead = new Set(['c-1']);
    const gate = createConsentGate({ check: () => true, isDeceased: (q) => dead.has(q.contactId ?? '') });
    expect((await refusal(gate.assertAllowed({ ...marketing, contactId: 'c-1' }))).reason).toBe('deceased');
    await expect(gate.assertAllowed({ ...marketing, contactId: 'c-2' })).resolves.toBeUndefined();
    const failing = createConsentGate({
      check: () => true,
      isDeceased: () => {
        throw new Error('store down');
      },
    });
    expect((await refusal(failing.assertAllowed(marketing))).reason).toBe('check_failed');
  });

  it('leaves transactional sends alone', async () => {
    await expect(
      createConsentGate().assertAllowed({ ...marketing, purpose: 'transactional', deceased: true }),
    ).resolves.toBeUndefined();
  });

  it('isDeceased reads deceased and deceasedAt of a Contact', () => {
    expect(isDeceased(Contact.parse({ deceasedAt: '2024-03-01' }))).toBe(true);
    expect(isDeceased(Contact.parse({ deceased: true }))).toBe(true);
    expect(isDeceased(Contact.parse({}))).toBe(false);
    expect(isDeceased(undefined)).toBe(false);
  });
});
