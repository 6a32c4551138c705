// The live side against a real loopback fake ARI (HTTP + WebSocket): 200 interleaved calls, a
// socket drop in the middle of 20 active calls, a reconnect with backoff on injected timers, and
// the count of CallRecords — one per call, durations and causes from the event timestamps.
import { join } from 'node:path';
import { type CallRecord, createTelemetry } from '@hmi/core';
import { expectNoLeaks, findSpecsDir } from '@hmi/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createAsteriskConnector, type ListenTimers } from '../src/index.js';
import {
  type FakeAriServer,
  interleave,
  loadAriSpec,
  type ScriptedCallOptions,
  type ScriptedEvent,
  scriptInboundCall,
  startFakeAriServer,
} from '../src/msw/index.js';

const spec = loadAriSpec(join(findSpecsDir(import.meta.url), 'asterisk', 'ari'));
const username = 'hmi-crm';
const password = 'ari-CANARY-pw-71c3e9';
const app = 'hmi-crm';
const T0 = Date.parse('2026-03-01T08:00:00.000Z');
const TRACKING = '+966920001234';

let server: FakeAriServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Timers the test fires by hand: the backoff delays are recorded, nothing waits on the wall clock. */
function manualTimers() {
  const pending: { fn: () => void; ms: number }[] = [];
  const timers: ListenTimers = {
    setTimeout: (fn, ms) => {
      const entry = { fn, ms };
      pending.push(entry);
      return entry;
    },
    clearTimeout: (handle) => {
      const i = pending.indexOf(handle as never);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  return {
    timers,
    pending,
    fireAll: () => {
      for (const t of pending.splice(0)) t.fn();
    },
  };
}

/** A deterministic generator, so every run plays the same 200 calls. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function makeCalls(count: number): ScriptedCallOptions[] {
  const rand = prng(42);
  return Array.from({ length: count }, (_, i) => {
    const kind = rand();
    const answered = kind > 0.15;
    const cause = answered ? (rand() > 0.9 ? 31 : 16) : kind < 0.07 ? 17 : 19;
    return {
      id: `17${String(1000 + i)}.${i}`,
      app,
      // Saudi, Emirati and Egyptian callers, written as trunks present them.
      from: ['055512', '+97150123', '+20100123'][i % 3]! + String(1000 + i).slice(-4),
      to: i % 4 === 0 ? TRACKING : '+966112345678',
      agent: String(1001 + (i % 12)),
      startAt: T0 + i * 3000,
      ringMs: 1000 + Math.floor(rand() * 14) * 1000,
      ...(answered && { talkMs: 5000 + Math.floor(rand() * 115) * 1000 }),
      cause,
      ...(i % 10 === 0 && { recordingName: `rec-${i}` }),
      ...(i % 5 === 0 && { announcement: 'sound:recording-notice' }),
    };
  });
}

async function waitFor(condition: () => boolean, what: string) {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

/** Index after which exactly `n` scripted calls are in progress (started, not yet hung up). */
function pointWithActive(events: ScriptedEvent[], n: number): number {
  const active = new Set<string>();
  for (const [i, { event }] of events.entries()) {
    const id = (event.channel as { id?: string } | undefined)?.id;
    if (event.type === 'StasisStart' && id) active.add(id);
    if (event.type === 'ChannelDestroyed' && id && !id.endsWith('-agent')) active.delete(id);
    if (active.size === n && i > events.length / 4) return i + 1;
  }
  throw new Error(`the script never has ${n} active calls`);
}

describe('listen: 200 calls, a drop among 20 active calls, a reconnect', () => {
  it('emits exactly one correct CallRecord per call', async () => {
    server = await startFakeAriServer({ username, password, spec });
    const telemetry = createTelemetry();
    const seen: string[] = [];
    telemetry.onAny((name, payload) => seen.push(JSON.stringify({ name, payload })));
    const asterisk = createAsteriskConnector(
      {
        baseUrl: server.baseUrl,
        username,
        password,
        app,
        allowInsecureHttp: true,
        trackingNumbers: { [TRACKING]: 'cmp-ramadan-2026' },
        consentAnnouncement: 'sound:recording-notice',
      },
      { telemetry },
    );
    const clock = manualTimers();
    const records: CallRecord[] = [];
    const states: CallRecord[] = [];
    const contacts = new Map([['+966555121000', 'contact-patient-0']]);
    const listener = asterisk.listen({
      onCall: (r) => void records.push(r),
      onState: (r) => void states.push(r),
      lookupContact: (e164) => contacts.get(e164),
      timers: clock.timers,
      random: () => 0.5,
      eventModels: spec,
    });
    await server.waitForConnections(1);
    await listener.ready();

    const calls = makeCalls(200);
    const events = interleave(...calls.map(scriptInboundCall));
    const dropAt = pointWithActive(events, 20);
    server.play(events.slice(0, dropAt));
    await waitFor(() => listener.activeCalls === 20, '20 active calls');
    const beforeDrop = records.length;

    // Cut the socket; the events Asterisk sends meanwhile are lost. The gap's calls that end in it
    // (their remaining events all inside the gap) must still be completed from the REST re-read.
    server.drop();
    await waitFor(() => clock.pending.length === 1, 'a reconnect scheduled');
    expect(clock.pending[0]!.ms).toBe(Math.round(500 * 0.75)); // initialDelay × jitter(0.5)
    const gapEnd = dropAt + 40;
    server.play(events.slice(dropAt, gapEnd));
    // A refused attempt backs off exponentially.
    server.refuseConnections(true);
    clock.fireAll();
    await waitFor(() => clock.pending.length === 1, 'a second backoff');
    expect(clock.pending[0]!.ms).toBe(Math.round(1000 * 0.75));
    server.refuseConnections(false);
    clock.fireAll();
    await server.waitForConnections(1);
    await listener.ready();
    server.play(events.slice(gapEnd));
    await waitFor(() => listener.activeCalls === 0, 'every call finished');
    await listener.close();

    // One record per call, none twice.
    expect(records.length).toBeGreaterThan(beforeDrop);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    expect(records.map((r) => r.id).sort()).toEqual(calls.map((c) => c.id).sort());
    expect(server.ari.requests.filter((r) => r.path === '/channels' && r.method === 'GET')).toHaveLength(1);

    // Calls with events lost in the gap: their lost moments are bounded, not exact.
    const lostInGap = new Set(
      events
        .slice(dropAt, gapEnd)
        .map(({ event }) => {
          const target = ((event.recording ?? event.playback) as { target_uri?: string } | undefined)?.target_uri;
          return target ? target.split(':')[1]! : ((event.channel ?? event.caller ?? event.bridge) as { id: string }).id;
        })
        .map((id) => id.replace(/-(agent|bridge)$/, '')),
    );
    let checked = 0;
    for (const call of calls) {
      const record = records.find((r) => r.id === call.id)!;
      expect(record).toMatchObject({ direction: 'inbound', agent: call.agent, startedAt: new Date(call.startAt).toISOString() });
      if (call.talkMs === undefined) expect(record.durationSec).toBe(0);
      else expect(record.status).toBe('completed');
      if (lostInGap.has(call.id)) {
        // Ended unseen: the end time is bounded by the drop, never invented past what happened.
        const ended = Date.parse(record.endedAt!);
        expect(ended).toBeGreaterThanOrEqual(call.startAt);
        expect(ended).toBeLessThanOrEqual(call.startAt + call.ringMs + (call.talkMs ?? 0));
        if (call.talkMs !== undefined) expect(record.durationSec!).toBeLessThanOrEqual(call.talkMs / 1000);
        if (record.hangupCause) expect(record.hangupCause.code).toBe(call.cause);
        continue;
      }
      checked += 1;
      expect(record.ringSec).toBe(call.ringMs / 1000);
      if (call.talkMs === undefined) expect(record.status).toBe(call.cause === 17 ? 'busy' : 'no-answer');
      // Talk ends at the first hangup: the scripted talk time exactly, whatever the legs do later.
      if (call.talkMs !== undefined) expect(record.durationSec).toBe(call.talkMs / 1000);
      expect(record.hangupCause).toEqual(
        {
          16: { code: 16, name: 'NORMAL_CLEARING' },
          17: { code: 17, name: 'USER_BUSY' },
          19: { code: 19, name: 'NO_ANSWER' },
          31: { code: 31, name: 'NORMAL_UNSPECIFIED' },
        }[call.cause!],
      );
      expect(record.recordingConsent).toBe(call.announcement !== undefined);
      if (call.recordingName && call.talkMs !== undefined)
        expect(record.recordingUrl).toBe(`ari:recordings/stored/${call.recordingName}`);
    }
    expect(checked).toBeGreaterThan(150);
    expect(lostInGap.size).toBeGreaterThan(0);

    // Matching: E.164, the contact lookup, the campaign from the tracking number.
    const first = records.find((r) => r.id === calls[0]!.id)!;
    expect(first).toMatchObject({
      from: '+966555121000',
      to: TRACKING,
      contactId: 'contact-patient-0',
      campaignId: 'cmp-ramadan-2026',
      trackingNumber: TRACKING,
    });
    expect(records.find((r) => r.id === calls[1]!.id)).toMatchObject({ from: '+971501231001', to: '+966112345678' });
    expect(records.find((r) => r.id === calls[1]!.id)?.campaignId).toBeUndefined();
    expect(records.find((r) => r.id === calls[2]!.id)?.from).toBe('+201001231002');

    // State updates carry the final id; the fake's traffic and events match the ARI descriptions.
    expect(states.some((s) => s.id === calls[0]!.id && s.status === 'ringing')).toBe(true);
    expect(states.some((s) => s.id === calls[0]!.id && s.status === 'in-progress')).toBe(true);
    expect(server.ari.specIssues).toEqual([]);

    // Canaries: the password, the callers' numbers and recording names never reach telemetry.
    expectNoLeaks(seen, [
      password,
      '+966555121000',
      '0555121000',
      'rec-10',
      Buffer.from(`${username}:${password}`).toString('base64'),
    ]);
    expect(seen.join('\n')).toContain('asterisk:connection');

    // The calls stream replays what listen delivered, resumably.
    const replay: CallRecord[] = [];
    let checkpoint: { after: number | null } | undefined;
    for await (const page of asterisk.streams.calls.read()) {
      replay.push(...page.records);
      checkpoint = page.checkpoint;
    }
    expect(replay.map((r) => r.id)).toEqual(records.map((r) => r.id));
    let again = 0;
    for await (const page of asterisk.streams.calls.read({ checkpoint })) again += page.records.length;
    expect(again).toBe(0);
  }, 30_000);
});

describe('listen: drops without lost events, and a replayed tail', () => {
  it('every one of 200 calls exact across two drops among 20 active calls; replayed events add nothing', async () => {
    server = await startFakeAriServer({ username, password, spec });
    const asterisk = createAsteriskConnector({
      baseUrl: server.baseUrl,
      username,
      password,
      app,
      allowInsecureHttp: true,
      consentAnnouncement: 'sound:recording-notice',
    });
    const clock = manualTimers();
    const records: CallRecord[] = [];
    const listener = asterisk.listen({
      onCall: (r) => void records.push(r),
      timers: clock.timers,
      random: () => 0.5,
      eventModels: spec,
    });
    await server.waitForConnections(1);
    await listener.ready();
    const calls = makeCalls(200);
    const events = interleave(...calls.map(scriptInboundCall));
    const dropAt = pointWithActive(events, 20);
    const reconnect = async () => {
      server!.drop();
      await waitFor(() => clock.pending.length === 1, 'a reconnect scheduled');
      clock.fireAll();
      await server!.waitForConnections(1);
      await listener.ready();
    };
    server.play(events.slice(0, dropAt));
    await waitFor(() => listener.activeCalls === 20, '20 active calls');
    await reconnect();
    expect(listener.activeCalls).toBe(20); // nothing ended in the gap: all 20 still in progress
    const second = dropAt + Math.floor((events.length - dropAt) / 2);
    server.play(events.slice(dropAt, second));
    await reconnect();
    // Asterisk-like glitch: the last 50 events arrive again after the reconnect.
    server.play(events.slice(second - 50));
    await waitFor(() => listener.activeCalls === 0 && records.length >= 200, 'every call finished');
    await new Promise((r) => setTimeout(r, 20));
    await listener.close();

    expect(records).toHaveLength(200);
    expect(new Set(records.map((r) => r.id)).size).toBe(200);
    for (const call of calls) {
      const record = records.find((r) => r.id === call.id)!;
      expect(record.ringSec, call.id).toBe(call.ringMs / 1000);
      expect(record.durationSec, call.id).toBe((call.talkMs ?? 0) / 1000);
      expect(record.hangupCause?.code, call.id).toBe(call.cause);
      expect(record.status, call.id).toBe(call.talkMs !== undefined ? 'completed' : call.cause === 17 ? 'busy' : 'no-answer');
      expect(record.recordingConsent, call.id).toBe(call.announcement !== undefined);
    }
    expect(server.ari.specIssues).toEqual([]);
  }, 30_000);
});

describe('listen: bad input from the socket', () => {
  it('tolerates unknown and malformed events and still records the call once', async () => {
    server = await startFakeAriServer({ username, password, spec });
    const asterisk = createAsteriskConnector({ baseUrl: server.baseUrl, username, password, app, allowInsecureHttp: true });
    const records: CallRecord[] = [];
    const invalid: string[] = [];
    asterisk.telemetry.on('asterisk:event-invalid', (e) => void invalid.push(e.eventType));
    const listener = asterisk.listen({ onCall: (r) => void records.push(r), timers: manualTimers().timers, eventModels: spec });
    await server.waitForConnections(1);
    const [call] = makeCalls(1);
    const events = scriptInboundCall(call!);
    server.emit({
      type: 'ChannelTalkingStarted',
      application: app,
      timestamp: events[0]!.event.timestamp,
      channel: events[0]!.event.channel,
    });
    server.emit({ type: 'StasisStart', application: app, timestamp: 'x', channel: { id: 42 } } as never);
    // Valid for the connector's own schema, but events.json requires `args`: refused by the models.
    server.emit({
      type: 'StasisStart',
      application: app,
      timestamp: events[0]!.event.timestamp,
      channel: { ...(events[0]!.event.channel as object), id: 'no-args' },
    });
    server.emit({ type: 'VendorSpecificThing', application: app, timestamp: events[0]!.event.timestamp });
    server.play(events);
    // A duplicate of the whole sequence (Asterisk resending after a glitch) adds nothing.
    server.play(events);
    await waitFor(() => records.length === 1 && listener.activeCalls === 0, 'the call');
    await new Promise((r) => setTimeout(r, 20));
    await listener.close();
    expect(records).toHaveLength(1);
    expect(records[0]!.id).toBe(call!.id);
    expect(invalid).toEqual(['StasisStart', 'StasisStart']);
  });

  it('refuses a wrong password on the socket and keeps backing off without leaking it', async () => {
    server = await startFakeAriServer({ username, password, spec });
    const telemetry = createTelemetry();
    const seen: string[] = [];
    telemetry.onAny((name, payload) => seen.push(JSON.stringify({ name, payload })));
    const asterisk = createAsteriskConnector(
      { baseUrl: server.baseUrl, username, password: 'wrong-CANARY-secret', app, allowInsecureHttp: true },
      { telemetry },
    );
    const clock = manualTimers();
    const listener = asterisk.listen({ onCall: () => undefined, timers: clock.timers, random: () => 0 });
    await waitFor(() => clock.pending.length === 1, 'a backoff');
    expect(server.connections).toBe(0);
    clock.fireAll();
    await waitFor(() => clock.pending.length === 1, 'a second backoff');
    clock.fireAll();
    await waitFor(() => clock.pending.length === 1, 'a third backoff');
    expect(clock.pending[0]!.ms).toBe(1000); // 500 × 2² × (0.5 + 0/2)
    // Closing the instance closes its listeners: no reconnect stays scheduled.
    await asterisk.close();
    expect(clock.pending).toHaveLength(0);
    await listener.close(); // idempotent
    expect(seen.join('\n')).not.toContain('wrong-CANARY-secret');
  });
});
