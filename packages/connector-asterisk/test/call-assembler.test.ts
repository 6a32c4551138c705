// The assembler alone, fed event objects: ring groups, who hangs up first, the reconnect gap,
// the Q.850 → status mapping and its memory bounds.
import type { CallRecord } from '@hmi/core';
import { describe, expect, it } from 'vitest';
import { AsteriskConfig, CallAssembler } from '../src/index.js';
import { type AriEventFixture, ariChannel, ariTimestamp } from '../src/msw/index.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const base = AsteriskConfig.parse({ baseUrl: 'https://pbx.test', username: 'u', password: 'secret-pw', app: 'a' });

function assembler(overrides: Partial<typeof base> = {}) {
  const records: CallRecord[] = [];
  const a = new CallAssembler({ ...base, ...overrides }, { onCall: (r) => void records.push(r) });
  const feed = (ms: number, type: string, body: Record<string, unknown>) => {
    const event = { type, application: 'a', timestamp: ariTimestamp(T0 + ms), ...body } as AriEventFixture;
    a.apply(event as never, T0 + ms);
  };
  return { a, records, feed };
}
const caller = (id: string, state = 'Ring') =>
  ariChannel({
    id,
    name: `PJSIP/trunk-${id}`,
    state,
    callerNumber: '0555123456',
    context: 'from-trunk',
    exten: '+966920001234',
    createdAt: T0,
  });
const agent = (id: string, ext: string, state = 'Ringing') =>
  ariChannel({ id, name: `PJSIP/${ext}-${id}`, state, callerNumber: ext, context: 'from-internal', exten: ext, createdAt: T0 });

describe('CallAssembler', () => {
  it('a ring group: the losing agent hanging up at answer time does not end the talk', () => {
    const { records, feed } = assembler();
    feed(0, 'StasisStart', { args: [], channel: caller('c1') });
    feed(100, 'Dial', { caller: caller('c1'), peer: agent('a1', '1001'), dialstatus: 'RINGING' });
    feed(100, 'Dial', { caller: caller('c1'), peer: agent('a2', '1002'), dialstatus: 'RINGING' });
    feed(8000, 'Dial', { caller: caller('c1'), peer: agent('a2', '1002', 'Up'), dialstatus: 'ANSWER' });
    feed(8000, 'ChannelHangupRequest', { cause: 26, channel: agent('a1', '1001') });
    feed(8001, 'ChannelDestroyed', { cause: 26, cause_txt: 'Answered elsewhere', channel: agent('a1', '1001') });
    // The agent hangs up first; the caller's leg goes a little later.
    feed(68_000, 'ChannelHangupRequest', { cause: 16, channel: agent('a2', '1002', 'Up') });
    feed(68_000, 'ChannelDestroyed', { cause: 16, cause_txt: 'Normal Clearing', channel: agent('a2', '1002', 'Up') });
    feed(69_500, 'ChannelDestroyed', { cause: 16, cause_txt: 'Normal Clearing', channel: caller('c1', 'Up') });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      id: 'c1',
      ringSec: 8,
      durationSec: 60,
      status: 'completed',
      hangupCause: { code: 16, name: 'NORMAL_CLEARING' },
    });
  });

  it('maps unanswered causes to statuses and keeps unknown codes by their text', () => {
    const { records, feed } = assembler();
    const unanswered = (id: string, cause: number, text: string) => {
      feed(0, 'StasisStart', { args: [], channel: caller(id) });
      feed(5000, 'ChannelDestroyed', { cause, cause_txt: text, channel: caller(id) });
    };
    unanswered('busy', 17, 'User busy');
    unanswered('noans', 19, 'No answer');
    unanswered('cong', 34, 'Circuit/channel congestion');
    unanswered('odd', 111, 'Protocol error, unspecified');
    unanswered('hungup', 16, 'Normal Clearing');
    expect(records.map((r) => [r.id, r.status, r.hangupCause?.name, r.ringSec, r.durationSec])).toEqual([
      ['busy', 'busy', 'USER_BUSY', 5, 0],
      ['noans', 'no-answer', 'NO_ANSWER', 5, 0],
      ['cong', 'failed', 'NORMAL_CIRCUIT_CONGESTION', 5, 0],
      ['odd', 'failed', 'PROTOCOL_ERROR_UNSPECIFIED', 5, 0],
      ['hungup', 'canceled', 'NORMAL_CLEARING', 5, 0],
    ]);
  });

  it('resync completes a call whose channels vanished in the gap, at the best known time, once', () => {
    const { a, records, feed } = assembler();
    feed(0, 'StasisStart', { args: [], channel: caller('c1') });
    feed(3000, 'ChannelStateChange', { channel: caller('c1', 'Up') });
    a.resync([], ['c1'], T0 + 50_000);
    a.resync([], ['c1'], T0 + 90_000);
    feed(95_000, 'ChannelDestroyed', { cause: 16, cause_txt: 'Normal Clearing', channel: caller('c1', 'Down') });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'completed', ringSec: 3, durationSec: 47 });
    expect(records[0]!.hangupCause).toBeUndefined();
  });

  it('bounds memory: beyond maxActiveCalls the oldest call is closed; beyond dedupeWindow old ids are forgotten', () => {
    const { a, records, feed } = assembler({ maxActiveCalls: 10, dedupeWindow: 100 });
    for (let i = 0; i < 11; i++) feed(i, 'StasisStart', { args: [], channel: caller(`c${i}`) });
    expect(a.activeCalls).toBe(10);
    expect(records.map((r) => r.id)).toEqual(['c0']);
    // A late event for the closed call does not bring it back.
    feed(50, 'ChannelStateChange', { channel: caller('c0', 'Up') });
    expect(a.activeCalls).toBe(10);
  });
});
