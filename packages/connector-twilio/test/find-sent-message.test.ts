import { smsBodyHash } from '@hmi/connector-twilio';
import { afterEach, describe, expect, it } from 'vitest';
import { connectorFor, startFakeTwilio } from './harness.js';

// Issue 11 #11: before a keyless send whose worker died is repeated, the outbox asks Twilio.
const NOW = new Date('2026-03-01T09:00:00Z');
const BODY = 'موعدكم غداً الساعة ٩ صباحاً في عيادة الأسنان';

let harness: ReturnType<typeof startFakeTwilio> | undefined;
afterEach(() => harness?.close());

function setup() {
  harness = startFakeTwilio({ now: () => NOW });
  return { twilio: connectorFor(harness, { now: () => NOW }), harness };
}

describe('findSentMessage (reconciling an in-doubt send)', () => {
  it('sent: a message to the number since then with the same body hash, with its SID', async () => {
    const { twilio } = setup();
    const message = await twilio.actions.sendSms({ to: '0555123456', body: BODY, purpose: 'transactional' });
    const found = await twilio.actions.findSentMessage({
      to: '+966555123456',
      sentAfter: '2026-03-01T08:59:00Z',
      bodyHash: smsBodyHash(BODY),
    });
    expect(found).toEqual({ result: 'sent', sid: message.id, status: expect.any(String) });
  });

  it('not_sent: nothing to that number in the window', async () => {
    const { twilio } = setup();
    await twilio.actions.sendSms({ to: '0555123456', body: BODY, purpose: 'transactional' });
    await expect(
      twilio.actions.findSentMessage({ to: '+966500000001', sentAfter: '2026-03-01T08:59:00Z', bodyHash: smsBodyHash(BODY) }),
    ).resolves.toEqual({ result: 'not_sent' });
    // A message before the window (beyond the clock-skew margin) is not this send.
    await expect(
      twilio.actions.findSentMessage({ to: '+966555123456', sentAfter: '2026-03-01T09:05:00Z', bodyHash: smsBodyHash(BODY) }),
    ).resolves.toEqual({ result: 'not_sent' });
  });

  it('unknown: a message in the window whose body does not match (Twilio may have altered it): hold for a human', async () => {
    const { twilio } = setup();
    await twilio.actions.sendSms({ to: '0555123456', body: `${BODY} Reply STOP to opt out`, purpose: 'transactional' });
    await expect(
      twilio.actions.findSentMessage({ to: '0555123456', sentAfter: '2026-03-01T08:59:00Z', bodyHash: smsBodyHash(BODY) }),
    ).resolves.toEqual({ result: 'unknown' });
  });

  it('queries the Messages list with To and DateSent> (the day of the window), plus the newest page by To', async () => {
    const { twilio, harness: h } = setup();
    await twilio.actions.findSentMessage({ to: '0555123456', sentAfter: '2026-03-01T08:59:00Z', bodyHash: smsBodyHash(BODY) });
    const lists = h.calls.filter((r) => r.method === 'GET').map((r) => new URL(r.url).searchParams);
    expect(lists.map((q) => [q.get('To'), q.get('DateSent>')])).toEqual([
      ['+966555123456', '2026-03-01'],
      ['+966555123456', null],
    ]);
  });

  it('smsBodyHash is the SHA-256 of the UTF-8 body', () => {
    expect(smsBodyHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
