import { formatAriTime } from '../asterisk-model.js';

/** A channel as ARI sends it (every property `channels.json` requires). */
export interface AriChannelFixture {
  id: string;
  protocol_id: string;
  name: string;
  state: string;
  caller: { name: string; number: string };
  connected: { name: string; number: string };
  accountcode: string;
  dialplan: { context: string; exten: string; priority: number; app_name: string; app_data: string };
  creationtime: string;
  language: string;
}

/** An ARI event: `type`, `application`, `timestamp` and the event's own properties. */
export type AriEventFixture = { type: string; application: string; timestamp: string } & Record<string, unknown>;

/** Builds a channel fixture. */
export function ariChannel(options: {
  id: string;
  name: string;
  state?: string;
  callerNumber?: string;
  context?: string;
  exten?: string;
  /** The Stasis app the channel is in (its dialplan shows `Stasis(<app>)`). */
  app?: string;
  createdAt: number;
}): AriChannelFixture {
  return {
    id: options.id,
    protocol_id: `${options.id}@pbx`,
    name: options.name,
    state: options.state ?? 'Ring',
    caller: { name: '', number: options.callerNumber ?? '' },
    connected: { name: '', number: '' },
    accountcode: '',
    dialplan: {
      context: options.context ?? 'from-trunk',
      exten: options.exten ?? 's',
      priority: 1,
      app_name: options.app ? 'Stasis' : '',
      app_data: options.app ?? '',
    },
    creationtime: formatAriTime(options.createdAt),
    language: 'ar',
  };
}

/** Builds a bridge fixture. */
export function ariBridge(id: string, channels: string[], createdAt: number) {
  return {
    id,
    technology: 'simple_bridge',
    bridge_type: 'mixing',
    bridge_class: 'stasis',
    creator: 'Stasis',
    name: '',
    channels,
    creationtime: formatAriTime(createdAt),
  };
}

/** One scripted event and the moment (epoch ms) it happens. */
export interface ScriptedEvent {
  at: number;
  event: AriEventFixture;
}

/** A call the fake plays: who calls whom, when, and how it ends. */
export interface ScriptedCallOptions {
  /** The call id (its first channel's id). */
  id: string;
  app: string;
  /** Caller's number as the trunk presents it (e.g. `0555123456` or `+966555123456`). */
  from: string;
  /** The dialled number (a tracking number for a campaign call). */
  to: string;
  /** The answering agent's extension (`1001`). */
  agent: string;
  startAt: number;
  /** Ringing time before the agent answers, ms. */
  ringMs: number;
  /** Talk time, ms; `undefined` = never answered. */
  talkMs?: number;
  /** Q.850 cause of the hangup and Asterisk's text for it. Default 16 / `Normal Clearing`. */
  cause?: number;
  causeText?: string;
  /** Record the bridge (adds RecordingStarted/Finished) under this name. */
  recordingName?: string;
  /** Plays this sound (the recording announcement) to the caller first. */
  announcement?: string;
}

/**
 * The event sequence of one inbound call as Asterisk sends it to a Stasis app that answers with an
 * agent through a bridge: StasisStart, ChannelStateChange (Ringing), Dial (RINGING → ANSWER),
 * BridgeCreated, ChannelEnteredBridge ×2, ChannelStateChange (Up), optional recording, then
 * ChannelHangupRequest, ChannelLeftBridge, ChannelDestroyed ×2 with the cause.
 * An unanswered call ends after `ringMs` with the cause (17 busy, 19 no answer, …).
 */
export function scriptInboundCall(options: ScriptedCallOptions): ScriptedEvent[] {
  const { id, app, startAt } = options;
  const agentId = `${id}-agent`;
  const bridgeId = `${id}-bridge`;
  const cause = options.cause ?? 16;
  const causeText = options.causeText ?? (cause === 16 ? 'Normal Clearing' : cause === 17 ? 'User busy' : 'No answer');
  const caller = (state: string) =>
    ariChannel({
      id,
      name: `PJSIP/trunk-${id}`,
      state,
      callerNumber: options.from,
      context: 'from-trunk',
      exten: options.to,
      app,
      createdAt: startAt,
    });
  const agent = (state: string) =>
    ariChannel({
      id: agentId,
      name: `PJSIP/${options.agent}-${id}`,
      state,
      callerNumber: options.agent,
      context: 'from-internal',
      exten: options.agent,
      app,
      createdAt: startAt + 10,
    });
  const events: ScriptedEvent[] = [];
  const push = (at: number, type: string, body: Record<string, unknown>) =>
    events.push({ at, event: { type, application: app, timestamp: formatAriTime(at), ...body } });
  push(startAt, 'StasisStart', { args: [], channel: caller('Ring') });
  if (options.announcement)
    push(startAt + 5, 'PlaybackFinished', {
      playback: { id: `${id}-pb`, media_uri: options.announcement, target_uri: `channel:${id}`, state: 'done' },
    });
  push(startAt + 10, 'ChannelStateChange', { channel: caller('Ringing') });
  push(startAt + 20, 'Dial', {
    caller: caller('Ringing'),
    peer: agent('Ringing'),
    dialstatus: 'RINGING',
    dialstring: options.agent,
  });
  const answerAt = startAt + options.ringMs;
  if (options.talkMs === undefined) {
    push(answerAt, 'Dial', { caller: caller('Ringing'), peer: agent('Down'), dialstatus: cause === 17 ? 'BUSY' : 'NOANSWER' });
    push(answerAt, 'ChannelHangupRequest', { cause, channel: caller('Ringing') });
    push(answerAt + 1, 'ChannelDestroyed', { cause, cause_txt: causeText, channel: agent('Down') });
    push(answerAt + 2, 'ChannelDestroyed', { cause, cause_txt: causeText, channel: caller('Down') });
    return events;
  }
  push(answerAt, 'Dial', { caller: caller('Ringing'), peer: agent('Up'), dialstatus: 'ANSWER' });
  push(answerAt, 'ChannelStateChange', { channel: caller('Up') });
  push(answerAt + 1, 'BridgeCreated', { bridge: ariBridge(bridgeId, [], answerAt + 1) });
  push(answerAt + 2, 'ChannelEnteredBridge', { bridge: ariBridge(bridgeId, [id], answerAt + 1), channel: caller('Up') });
  push(answerAt + 3, 'ChannelEnteredBridge', { bridge: ariBridge(bridgeId, [id, agentId], answerAt + 1), channel: agent('Up') });
  const endAt = answerAt + options.talkMs;
  if (options.recordingName) {
    const recording = (state: string) => ({
      name: options.recordingName,
      format: 'wav',
      target_uri: `bridge:${bridgeId}`,
      state,
    });
    push(answerAt + 4, 'RecordingStarted', { recording: recording('recording') });
    push(endAt - 1, 'RecordingFinished', { recording: recording('done') });
  }
  push(endAt, 'ChannelHangupRequest', { cause, channel: caller('Up') });
  push(endAt + 1, 'ChannelLeftBridge', { bridge: ariBridge(bridgeId, [agentId], answerAt + 1), channel: caller('Up') });
  push(endAt + 2, 'ChannelDestroyed', { cause, cause_txt: causeText, channel: caller('Up') });
  push(endAt + 3, 'ChannelLeftBridge', { bridge: ariBridge(bridgeId, [], answerAt + 1), channel: agent('Up') });
  push(endAt + 4, 'ChannelDestroyed', { cause, cause_txt: causeText, channel: agent('Up') });
  return events;
}

/** Merges several calls' events into one stream ordered by time (stable: same-time events keep their order). */
export function interleave(...scripts: ScriptedEvent[][]): ScriptedEvent[] {
  return scripts.flat().sort((a, b) => a.at - b.at);
}
