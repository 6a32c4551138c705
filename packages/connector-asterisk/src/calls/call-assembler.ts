import { type CallRecord, normalizeCall } from '@hmi/core';
import { tryNormalizePhone } from '@hmi/phone';
import type { AsteriskConfig } from '../asterisk-config.js';
import { parseAriTime, type WireChannel, type WireEvent } from '../asterisk-model.js';
import { q850 } from './q850.js';

type AssemblerConfig = Pick<
  AsteriskConfig,
  | 'inboundContexts'
  | 'internalContexts'
  | 'trunks'
  | 'defaultRegion'
  | 'trackingNumbers'
  | 'consentAnnouncement'
  | 'dedupeWindow'
  | 'maxActiveCalls'
>;

interface CallState {
  id: string;
  primary: WireChannel;
  /** Channels of the call not yet destroyed. */
  live: Set<string>;
  /** Every channel that ever belonged to the call (for the agent and the recording target). */
  channels: Map<string, WireChannel>;
  startedAt: number;
  answeredAt?: number;
  endedAt?: number;
  /**
   * The first hangup (request or destroy) of the caller's leg or the answering leg: when talk
   * ended, though other legs go later. Losing legs of a ring group do not count.
   */
  hangupAt?: number;
  /** The leg that answered (Dial ANSWER or the second channel in the bridge). */
  answeredBy?: string;
  lastSeen: number;
  cause?: { code: number; text?: string };
  recordingName?: string;
  consent?: boolean;
  originated?: { agent: string };
  /** The status last reported to onState (a repeat of it is not reported again). */
  reported?: CallRecord['status'];
}

/** What the assembler tells its owner. */
export interface AssemblerOutput {
  onCall(record: CallRecord): void;
  onState?(record: CallRecord): void;
}

/**
 * Builds one CallRecord per call from ARI events. A call is its first channel plus every channel
 * joined to it by a Dial (peer) or a shared bridge; it ends when its last channel is destroyed.
 * Times come from the events' timestamps (never the wall clock), so a replayed or delayed event
 * stream gives the same durations. Memory is bounded: at most `maxActiveCalls` calls are tracked
 * and `dedupeWindow` finished ids remembered, which is what refuses a second record for a call.
 */
export class CallAssembler {
  readonly #config: AssemblerConfig;
  readonly #out: AssemblerOutput;
  readonly #calls = new Map<string, CallState>();
  readonly #channelToCall = new Map<string, string>();
  readonly #bridgeToCall = new Map<string, string>();
  readonly #finished = new Set<string>();
  /**
   * Calls found answered by the re-read after a reconnect, their answer event lost: answered by
   * the first event after the reconnect (an upper bound on the answer, so talk time is never
   * overstated), whose timestamp is on the PBX's clock like every other.
   */
  readonly #answeredInGap = new Set<string>();
  /** Agent extension of calls this instance originated, by the agent channel id. */
  readonly #originated = new Map<string, string>();

  constructor(config: AssemblerConfig, out: AssemblerOutput) {
    this.#config = config;
    this.#out = out;
  }

  /** Calls in progress. */
  get activeCalls(): number {
    return this.#calls.size;
  }

  /** Channel ids of calls in progress (for the REST re-read after a reconnect). */
  liveChannels(): string[] {
    return [...this.#channelToCall.keys()];
  }

  /** Marks a channel this instance originated (click-to-call), so its call is outbound with that agent. */
  expectOriginated(channelId: string, agent: string): void {
    this.#originated.set(channelId, agent);
    if (this.#originated.size > this.#config.maxActiveCalls) this.#originated.delete(this.#originated.keys().next().value!);
  }

  /** Applies one event, `at` = its timestamp in epoch ms (the caller falls back to its clock). */
  apply(event: WireEvent, at: number): void {
    if (this.#answeredInGap.size > 0) {
      for (const id of this.#answeredInGap) {
        const call = this.#calls.get(id);
        if (call) this.#answer(call, Math.max(at, call.lastSeen));
      }
      this.#answeredInGap.clear();
    }
    switch (event.type) {
      case 'StasisStart':
        if (event.channel) this.#join(event.channel, undefined, at);
        return;
      case 'Dial': {
        if (!event.peer) return;
        // A dial from a channel the assembler does not track (a finished call's late event, an
        // internal leg) starts nothing; one without a caller is an originate's own channel.
        const caller = event.caller ? this.#callOrAdopt(event.caller, at) : undefined;
        if (event.caller && !caller) return;
        const call = this.#join(event.peer, caller?.id, at);
        if (call && event.dialstatus === 'ANSWER') {
          call.answeredBy ??= event.peer.id;
          this.#answer(call, at);
        }
        return;
      }
      case 'ChannelStateChange': {
        const call = event.channel && this.#callOrAdopt(event.channel, at);
        if (!call || !event.channel) return;
        call.channels.set(event.channel.id, event.channel);
        call.lastSeen = at;
        if (event.channel.state === 'Up') this.#answer(call, at);
        else this.#state(call);
        return;
      }
      case 'BridgeCreated':
        return; // a bridge belongs to a call only once a channel of the call enters it
      case 'ChannelEnteredBridge': {
        if (!event.bridge || !event.channel) return;
        const known = this.#channelToCall.get(event.channel.id) ?? this.#bridgeToCall.get(event.bridge.id);
        const viaBridge = event.bridge.channels.map((c) => this.#channelToCall.get(c)).find(Boolean);
        const callId = known ?? viaBridge;
        const call = callId ? this.#join(event.channel, callId, at) : this.#callOrAdopt(event.channel, at);
        if (call) {
          this.#bridgeToCall.set(event.bridge.id, call.id);
          if (call.live.size > 1 && event.bridge.channels.length > 1) {
            if (event.channel.id !== call.primary.id) call.answeredBy ??= event.channel.id;
            this.#answer(call, at);
          }
        }
        return;
      }
      case 'ChannelLeftBridge': {
        const call = event.channel && this.#callOf(event.channel.id);
        if (call) call.lastSeen = at;
        return;
      }
      case 'ChannelHangupRequest': {
        const call = event.channel && this.#callOrAdopt(event.channel, at);
        if (!call) return;
        if (this.#endsTalk(call, event.channel!.id)) call.hangupAt ??= at;
        if (event.cause !== undefined && call.cause === undefined) call.cause = { code: event.cause };
        return;
      }
      case 'ChannelDestroyed': {
        if (!event.channel) return;
        const call = this.#callOrAdopt(event.channel, at);
        if (!call) return;
        // The first channel's cause says why the call ended; a later leg's is only a fallback.
        if (event.cause !== undefined && (call.cause === undefined || event.channel.id === call.primary.id))
          call.cause = { code: event.cause, ...(event.cause_txt !== undefined && { text: event.cause_txt }) };
        if (this.#endsTalk(call, event.channel.id)) call.hangupAt ??= at;
        this.#drop(call, event.channel.id, at);
        return;
      }
      case 'RecordingFinished': {
        const target = event.recording?.target_uri ?? '';
        const [kind, id] = target.split(':', 2) as [string, string | undefined];
        const callId = id && (kind === 'bridge' ? this.#bridgeToCall.get(id) : this.#channelToCall.get(id));
        const call = callId ? this.#calls.get(callId) : undefined;
        if (call && event.recording) call.recordingName = event.recording.name;
        return;
      }
      case 'PlaybackFinished': {
        const consent = this.#config.consentAnnouncement;
        const [kind, id] = (event.playback?.target_uri ?? '').split(':', 2) as [string, string | undefined];
        const call = kind === 'channel' && id ? this.#callOf(id) : undefined;
        if (call && consent && event.playback?.media_uri === consent) call.consent = true;
        return;
      }
      default:
        return; // every other event is tolerated and ignored
    }
  }

  /**
   * Reconciles after a reconnect (`GET /ari/channels`): `absent` channels of the gap ended unseen
   * and are dropped with the best known end (`gapStart`, when events stopped, never before the
   * call's last event); `present` ones are refreshed, and one found answered is taken as answered
   * when the next event arrives (the exact moment is lost; talk time is never overstated). A call
   * left without channels is completed.
   */
  resync(present: WireChannel[], absent: string[], gapStart: number): void {
    for (const channel of present) {
      const call = this.#callOf(channel.id);
      if (!call) continue;
      call.channels.set(channel.id, channel);
      if (channel.state === 'Up' && call.answeredAt === undefined && call.live.size > 1) this.#answeredInGap.add(call.id);
    }
    for (const channelId of absent) {
      const call = this.#callOf(channelId);
      if (!call) continue;
      const at = Math.max(gapStart, call.lastSeen);
      // The caller's or the answering leg ended unseen: talk ended by then, even if another leg
      // (its destroy still to come) lingers — else talk time would run on to that later event.
      if (this.#endsTalk(call, channelId)) call.hangupAt ??= at;
      this.#drop(call, channelId, at);
    }
  }

  /**
   * The call of a channel; an unknown channel that is the caller's side of an inbound call (its
   * StasisStart was lost while the socket was down), or the agent leg of this instance's
   * click-to-call, starts its call here, from its creation time.
   * An unknown agent or internal leg is ignored: it cannot be told apart from a finished call's.
   */
  /**
   * After a reconnect: calls that started while the socket was down. `channels` are the PBX's
   * channels in this app's Stasis that no call tracks; an inbound one starts its call, and bridges
   * (`GET /ari/bridges`) join the agents' legs to it.
   */
  adopt(channels: WireChannel[], bridges: { id: string; channels: string[] }[], at: number): void {
    const byId = new Map(channels.map((c) => [c.id, c]));
    for (const channel of channels) if (!this.#channelToCall.has(channel.id)) this.#callOrAdopt(channel, at);
    for (const bridge of bridges) {
      const callId = bridge.channels.map((id) => this.#channelToCall.get(id)).find(Boolean);
      if (!callId) continue;
      this.#bridgeToCall.set(bridge.id, callId);
      for (const id of bridge.channels) {
        const channel = byId.get(id);
        if (channel && !this.#channelToCall.has(id)) this.#join(channel, callId, at);
      }
      const call = this.#calls.get(callId);
      if (!call || call.live.size < 2 || bridge.channels.length < 2 || call.answeredAt !== undefined) continue;
      // Answered during the gap, at an unknown moment: see #answeredInGap.
      this.#answeredInGap.add(call.id);
    }
  }

  #callOrAdopt(channel: WireChannel, at: number): CallState | undefined {
    const known = this.#callOf(channel.id);
    if (known) return known;
    const context = channel.dialplan?.context ?? '';
    const inbound = this.#config.inboundContexts.includes(context) || this.#config.trunks.some((t) => channel.name.startsWith(t));
    // A click-to-call's agent leg is in the dialplan, not Stasis: its first event starts the call.
    return inbound || this.#originated.has(channel.id) ? this.#join(channel, undefined, at) : undefined;
  }

  #endsTalk(call: CallState, channelId: string): boolean {
    return channelId === call.primary.id || channelId === call.answeredBy;
  }

  #callOf(channelId: string): CallState | undefined {
    const callId = this.#channelToCall.get(channelId);
    return callId ? this.#calls.get(callId) : undefined;
  }

  #join(channel: WireChannel, callId: string | undefined, at: number): CallState | undefined {
    const existing = this.#callOf(channel.id);
    if (existing) {
      existing.channels.set(channel.id, channel);
      existing.lastSeen = at;
      return existing;
    }
    const target = callId ? this.#calls.get(callId) : undefined;
    if (target) {
      target.live.add(channel.id);
      target.channels.set(channel.id, channel);
      target.lastSeen = at;
      this.#channelToCall.set(channel.id, target.id);
      return target;
    }
    if (this.#finished.has(channel.id)) return undefined; // a late event for a call already recorded
    const call: CallState = {
      id: channel.id,
      primary: channel,
      live: new Set([channel.id]),
      channels: new Map([[channel.id, channel]]),
      startedAt: parseAriTime(channel.creationtime) ?? at,
      lastSeen: at,
    };
    const agent = this.#originated.get(channel.id);
    if (agent !== undefined) {
      call.originated = { agent };
      this.#originated.delete(channel.id);
    }
    if (this.#calls.size >= this.#config.maxActiveCalls) {
      // Bounded memory: the oldest call is closed rather than letting the map grow without end.
      const oldest = this.#calls.values().next().value!;
      for (const id of [...oldest.live]) this.#drop(oldest, id, at);
    }
    this.#calls.set(call.id, call);
    this.#channelToCall.set(channel.id, call.id);
    this.#state(call);
    return call;
  }

  #answer(call: CallState, at: number): void {
    call.lastSeen = at;
    if (call.answeredAt !== undefined) return;
    // An originated call's first leg is the agent's phone: the call is answered when the patient's is.
    if (call.originated && call.live.size < 2) return;
    call.answeredAt = Math.max(at, call.startedAt);
    this.#state(call);
  }

  #drop(call: CallState, channelId: string, at: number): void {
    call.live.delete(channelId);
    this.#channelToCall.delete(channelId);
    call.lastSeen = Math.max(call.lastSeen, at);
    if (call.live.size > 0) return;
    call.endedAt = Math.max(call.hangupAt ?? at, call.answeredAt ?? call.startedAt);
    this.#calls.delete(call.id);
    for (const [bridge, id] of this.#bridgeToCall) if (id === call.id) this.#bridgeToCall.delete(bridge);
    if (this.#finished.has(call.id)) return;
    this.#finished.add(call.id);
    if (this.#finished.size > this.#config.dedupeWindow) this.#finished.delete(this.#finished.values().next().value!);
    this.#out.onCall(this.#record(call));
  }

  #state(call: CallState): void {
    if (!this.#out.onState) return;
    const record = this.#record(call);
    if (record.status === call.reported) return;
    call.reported = record.status;
    this.#out.onState(record);
  }

  #record(call: CallState): CallRecord {
    const config = this.#config;
    const primary = call.primary;
    const context = primary.dialplan?.context ?? '';
    const isTrunk = (c: WireChannel) => config.trunks.some((t) => c.name.startsWith(t));
    const inbound = !call.originated && (config.inboundContexts.includes(context) || isTrunk(primary));
    const others = [...call.channels.values()].filter((c) => c.id !== primary.id);
    const external = others.some(isTrunk) || /^\+?\d{7,}$/.test(primary.dialplan?.exten ?? '');
    const direction: CallRecord['direction'] = inbound ? 'inbound' : call.originated || external ? 'outbound' : 'internal';

    const normal = (raw: string | undefined) =>
      raw ? (tryNormalizePhone(raw, { defaultRegion: config.defaultRegion }) ?? raw) : '';
    let from: string;
    let to: string;
    let agent: string | undefined;
    if (call.originated) {
      agent = call.originated.agent;
      const patient = others[0];
      from = agent;
      to = normal(patient?.dialplan?.exten || patient?.caller.number || primary.connected?.number);
    } else {
      from = inbound ? normal(primary.caller.number) : primary.caller.number;
      to = inbound || direction === 'outbound' ? normal(primary.dialplan?.exten) : (primary.dialplan?.exten ?? '');
      const agentChannel = inbound ? others.find((c) => !isTrunk(c)) : primary;
      agent = agentChannel ? extensionOf(agentChannel) : undefined;
    }
    const ended = call.endedAt;
    const status: CallRecord['status'] =
      ended === undefined ? (call.answeredAt === undefined ? 'ringing' : 'in-progress') : endStatus(call);
    const ringEnd = call.answeredAt ?? ended;
    const seconds = (ms: number) => Math.round(ms) / 1000;
    const iso = (ms: number) => new Date(ms).toISOString();
    const record: CallRecord = {
      id: call.id,
      source: { system: 'asterisk', id: call.id },
      direction,
      from,
      to,
      status,
      startedAt: iso(call.startedAt),
      ...(call.answeredAt !== undefined && { answeredAt: iso(call.answeredAt) }),
      ...(ended !== undefined && { endedAt: iso(ended) }),
      ...(ringEnd !== undefined && { ringSec: seconds(ringEnd - call.startedAt) }),
      ...(ended !== undefined && { durationSec: call.answeredAt === undefined ? 0 : seconds(ended - call.answeredAt) }),
      ...(ended !== undefined && call.cause && { hangupCause: q850(call.cause.code, call.cause.text) }),
      ...(call.recordingName !== undefined && { recordingUrl: `ari:recordings/stored/${call.recordingName}` }),
      ...(config.consentAnnouncement !== undefined && { recordingConsent: call.consent === true }),
      ...(agent && { agent }),
    };
    // The campaign comes from the core's attribution, the same table lookup Twilio Voice uses.
    return normalizeCall(record, {
      normalize: (raw) => tryNormalizePhone(raw, { defaultRegion: config.defaultRegion }),
      trackingNumbers: config.trackingNumbers,
    });
  }
}

function endStatus(call: CallState): CallRecord['status'] {
  if (call.answeredAt !== undefined) return 'completed';
  switch (call.cause?.code) {
    case 17:
      return 'busy';
    case 18:
    case 19:
      return 'no-answer';
    case 16:
    case undefined:
      return 'canceled'; // hung up normally before anyone answered
    default:
      return 'failed';
  }
}

/** `PJSIP/1001-00000012` → `1001`. */
function extensionOf(channel: WireChannel): string | undefined {
  const match = /^[A-Za-z]+\/([^-@/]+)/.exec(channel.name);
  return match?.[1] ?? (channel.caller.number || undefined);
}
