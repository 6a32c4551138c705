// Click-to-call end to end (originate → events → an outbound CallRecord), bridge recordings, and
// getRecording streaming to a sink — against the loopback fake ARI, with PHI canaries.
import { join } from 'node:path';
import { ApiError, type CallRecord, createTelemetry } from '@hmi/core';
import { findSpecsDir } from '@hmi/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createAsteriskConnector } from '../src/index.js';
import { type FakeAriServer, ariBridge, ariChannel, ariTimestamp, loadAriSpec, startFakeAriServer } from '../src/msw/index.js';

const spec = loadAriSpec(join(findSpecsDir(import.meta.url), 'asterisk', 'ari'));
const username = 'hmi-crm';
const password = 'ari-CANARY-pw-4410ab';
const app = 'hmi-crm';
const T0 = Date.parse('2026-03-01T09:00:00.000Z');
let server: FakeAriServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup() {
  server = await startFakeAriServer({ username, password, spec, now: () => T0 });
  const telemetry = createTelemetry();
  const seen: string[] = [];
  telemetry.onAny((name, payload) => seen.push(JSON.stringify({ name, payload })));
  const asterisk = createAsteriskConnector(
    { baseUrl: server.baseUrl, username, password, app, allowInsecureHttp: true, defaultRegion: 'EG' },
    { telemetry },
  );
  return { server, asterisk, seen };
}

async function waitFor(condition: () => boolean, what: string) {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('originate (click-to-call)', () => {
  it('rings the agent, subscribes the app, and the call becomes one outbound record with talk time', async () => {
    const { server, asterisk } = await setup();
    const records: CallRecord[] = [];
    const listener = asterisk.listen({
      onCall: (r) => void records.push(r),
      lookupContact: (n) => (n === '+201001234567' ? 'patient-eg-7' : undefined),
    });
    await server.waitForConnections(1);
    // An Egyptian patient's mobile, written in Arabic-Indic digits as a CRM user may paste it.
    const out = await asterisk.actions.originate(
      { agentExtension: '1001', patientNumber: '٠١٠٠١٢٣٤٥٦٧' },
      { idempotencyKey: 'click-77' },
    );
    expect(out).toEqual({ callId: 'hmi-click-77', agentExtension: '1001', state: 'Down' });
    const post = server.ari.requests.find((r) => r.method === 'POST' && r.path === '/channels')!;
    expect(post.query).toMatchObject({
      endpoint: 'PJSIP/1001',
      extension: '+201001234567',
      context: 'from-internal',
      channelId: 'hmi-click-77',
    });
    expect(
      server.ari.requests.some(
        (r) => r.path === `/applications/${app}/subscription` && r.query.eventSource === 'channel:hmi-click-77',
      ),
    ).toBe(true);
    // The originate carried the number in its JSON body, never the URL (checked on the fake's side).
    expect(server.ari.specIssues).toEqual([]);

    const agent = (state: string) =>
      ariChannel({
        id: 'hmi-click-77',
        name: 'PJSIP/1001-00000001',
        state,
        callerNumber: '1001',
        context: 'from-internal',
        exten: '+201001234567',
        createdAt: T0,
      });
    const patient = (state: string) =>
      ariChannel({
        id: 'trunk-leg-1',
        name: 'PJSIP/trunk-00000002',
        state,
        callerNumber: '+201001234567',
        context: 'from-internal',
        exten: '+201001234567',
        createdAt: T0 + 4000,
      });
    const at = (ms: number) => ({ application: app, timestamp: ariTimestamp(T0 + ms) });
    server.emit({ type: 'ChannelStateChange', ...at(3000), channel: agent('Up') }); // the agent picks up: not yet the call
    server.emit({ type: 'Dial', ...at(4000), caller: agent('Up'), peer: patient('Ringing'), dialstatus: 'RINGING' });
    server.emit({ type: 'Dial', ...at(9000), caller: agent('Up'), peer: patient('Up'), dialstatus: 'ANSWER' });
    server.emit({ type: 'ChannelHangupRequest', ...at(69_000), cause: 16, channel: patient('Up') });
    server.emit({ type: 'ChannelDestroyed', ...at(69_000), cause: 16, cause_txt: 'Normal Clearing', channel: patient('Up') });
    server.emit({ type: 'ChannelDestroyed', ...at(69_500), cause: 16, cause_txt: 'Normal Clearing', channel: agent('Up') });
    await waitFor(() => records.length === 1, 'the record');
    await listener.close();
    expect(records[0]).toMatchObject({
      id: 'hmi-click-77',
      direction: 'outbound',
      agent: '1001',
      from: '1001',
      to: '+201001234567',
      contactId: 'patient-eg-7',
      status: 'completed',
      ringSec: 9,
      durationSec: 60,
      hangupCause: { code: 16, name: 'NORMAL_CLEARING' },
    });
  });

  it('a retried originate whose first attempt rang reads that channel instead of ringing twice', async () => {
    const { server, asterisk } = await setup();
    await asterisk.actions.originate({ agentExtension: '1002', patientNumber: '+966555123456' }, { idempotencyKey: 'same' });
    const again = await asterisk.actions.originate(
      { agentExtension: '1002', patientNumber: '+966555123456' },
      { idempotencyKey: 'same' },
    );
    expect(again.callId).toBe('hmi-same');
    expect(server.ari.channels.size).toBe(1);
  });
});

describe('recordings', () => {
  it('start, stop, then stream the stored file to a sink chunk by chunk', async () => {
    const { server, asterisk, seen } = await setup();
    server.emit({ type: 'BridgeCreated', application: app, timestamp: ariTimestamp(T0), bridge: ariBridge('br-1', [], T0) });
    const started = await asterisk.actions.startRecording({ bridgeId: 'br-1', name: 'patient-call-CANARY-rec' });
    expect(started).toEqual({ name: 'patient-call-CANARY-rec', state: 'recording', format: 'wav' });
    expect(await asterisk.actions.stopRecording({ name: 'patient-call-CANARY-rec' })).toEqual({ stopped: true });
    expect(await asterisk.actions.stopRecording({ name: 'patient-call-CANARY-rec' })).toEqual({ stopped: false });

    const chunks: Uint8Array[] = [];
    const download = await asterisk.getRecording('patient-call-CANARY-rec', { write: (c) => void chunks.push(c) });
    const expected = server.ari.recordings.get('patient-call-CANARY-rec')!;
    expect(download).toEqual({ bytes: expected.byteLength, contentType: 'audio/wav' });
    expect(Buffer.concat(chunks).equals(Buffer.from(expected))).toBe(true);

    // A web WritableStream works too.
    const parts: Uint8Array[] = [];
    await asterisk.getRecording('patient-call-CANARY-rec', new WritableStream({ write: (c) => void parts.push(c) }));
    expect(Buffer.concat(parts).byteLength).toBe(expected.byteLength);

    // Too large for maxBytes: refused, nothing beyond the cap kept.
    await expect(
      asterisk.getRecording('patient-call-CANARY-rec', { write: () => undefined }, { maxBytes: 8 }),
    ).rejects.toMatchObject({ code: 'too_large' });
    expect(server.ari.specIssues).toEqual([]);
    expect(seen.join('\n')).not.toContain('CANARY-rec');
    expect(seen.join('\n')).not.toContain(password);
  });

  it('a missing recording is a not_found ApiError that names neither the recording nor its URL', async () => {
    const { asterisk, seen } = await setup();
    const error = await asterisk.getRecording('patient-CANARY-missing', { write: () => undefined }).catch((e: unknown) => e);
    expect(ApiError.isInstance(error)).toBe(true);
    expect((error as ApiError).code).toBe('not_found');
    const surfaces = [
      String(error),
      (error as Error).message,
      JSON.stringify(error),
      (error as Error).stack ?? '',
      seen.join('\n'),
    ].join('\n');
    expect(surfaces).not.toContain('CANARY-missing');
    expect(surfaces).not.toContain('/recordings/stored');
    expect(surfaces).not.toContain(password);
  });
});
