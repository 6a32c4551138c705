import { attributeCall, type CallRecord, type TelemetryContext } from '@hmi/core';
import { tryNormalizePhone } from '@hmi/phone';
import WebSocket from 'ws';
import { z } from 'zod';
import type { AsteriskContext } from '../asterisk-context.js';
import { parseAriTime, WireBridge, WireChannel, WireEvent } from '../asterisk-model.js';
import { CallAssembler } from './call-assembler.js';

declare module '@hmi/core' {
  interface TelemetryEventMap {
    /** The ARI event socket opened, dropped, or is waiting `delayMs` before reconnecting. */
    'asterisk:connection': TelemetryContext & { phase: 'open' | 'closed' | 'reconnecting'; attempt: number; delayMs?: number };
    /** An ARI event the connector could not read (its content is not reported: it may hold numbers). */
    'asterisk:event-invalid': TelemetryContext & { eventType: string };
    /** A host callback (`onCall`, `onState`, `lookupContact`) threw; the call is still counted once. */
    'asterisk:handler-error': TelemetryContext & { handler: string };
  }
}

/** The subset of a `ws` WebSocket the listener uses (so tests may inject another). */
export interface AriSocket {
  on(event: 'open', listener: () => void): unknown;
  on(event: 'message', listener: (data: unknown) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): void;
}

/** Injectable timers (default the global ones). */
export interface ListenTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of `connector.listen`. */
export interface ListenOptions {
  /** Called once per finished call, in the order calls end. */
  onCall(record: CallRecord): void | Promise<void>;
  /** Called when a call starts ringing or is answered, with the id its final record will have. */
  onState?(record: CallRecord): void;
  /**
   * Finds the CRM contact of a remote number (E.164 when it could be normalised); its id becomes
   * the record's `contactId`. A lookup that throws leaves the record unmatched.
   */
  lookupContact?(e164: string): string | undefined | Promise<string | undefined>;
  /** Epoch ms for events without a timestamp and for the reconnect gap. Default `Date.now`. */
  now?: () => number;
  /** Timers for the reconnect backoff. */
  timers?: ListenTimers;
  /** Jitter source in [0, 1). Default `Math.random`. */
  random?: () => number;
  /**
   * Checks every event against ARI's models before use, e.g. `loadAriSpec(dir)` from `./msw`
   * (events.json). An event of a known type that fails is reported (`asterisk:event-invalid`) and
   * skipped; event types the models do not know are passed on (tolerated). Default: the
   * connector's own schema of the fields it reads.
   */
  eventModels?: { readonly models: ReadonlySet<string>; validateEvent(event: unknown): readonly unknown[] };
  /** Opens the socket (default `ws`). Receives the URL and the Authorization header. */
  connect?(url: string, headers: Record<string, string>): AriSocket;
}

/** What `listen` returns. */
export interface CallListener {
  /** Stops reading events and reconnecting; resolves once every pending `onCall` has settled. */
  close(): Promise<void>;
  /** Calls in progress now. */
  readonly activeCalls: number;
  /** Resolves when the socket is open (after a reconnect, once channels were re-read). */
  ready(): Promise<void>;
}

/** An ARI event is a few KiB; a frame beyond this is refused (the socket closes and reconnects). */
const MAX_EVENT_BYTES = 1024 * 1024;
const ChannelList = z.array(z.unknown());
const BridgeList = z.array(WireBridge);

/**
 * Reads the ARI event WebSocket and emits one CallRecord per finished call. On a drop it
 * reconnects with exponential backoff and jitter; once back, `GET /ari/channels` says which
 * channels of the calls in progress ended during the gap, so those calls are completed too.
 * Dedupe by call id makes a record for the same call impossible twice.
 */
export function listenForCalls(ctx: AsteriskContext, options: ListenOptions): CallListener {
  const { config, telemetry } = ctx;
  const now = options.now ?? Date.now;
  const timers = options.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as never) };
  const random = options.random ?? Math.random;
  const base = { connector: 'asterisk', operation: 'listen' } as const;
  let chain: Promise<void> = Promise.resolve();
  const guard = (handler: string, fn: () => unknown) => {
    try {
      const result = fn();
      if (result instanceof Promise) return result.catch(() => telemetry.emit('asterisk:handler-error', { ...base, handler }));
    } catch {
      telemetry.emit('asterisk:handler-error', { ...base, handler });
    }
    return undefined;
  };
  const deliver = async (record: CallRecord) => {
    // The core's attribution: the same E.164 contact match and campaign table as Twilio Voice.
    record = await attributeCall(record, {
      normalize: (raw) => tryNormalizePhone(raw, { defaultRegion: config.defaultRegion }),
      trackingNumbers: config.trackingNumbers,
      ...(options.lookupContact && { lookupContact: options.lookupContact }),
      onLookupError: () => telemetry.emit('asterisk:handler-error', { ...base, handler: 'lookupContact' }),
    });
    // The store is the second guard against duplicates (it may outlive this listener).
    let fresh = true;
    try {
      fresh = await ctx.store.save(record);
    } catch {
      telemetry.emit('asterisk:handler-error', { ...base, handler: 'store' });
    }
    if (!fresh) return;
    await guard('onCall', () => options.onCall(record));
  };
  const assembler = new CallAssembler(config, {
    // Records are delivered in order, one after the other, so an async onCall never races itself.
    onCall: (record) => {
      chain = chain.then(() => deliver(record));
    },
    ...(options.onState && { onState: (record: CallRecord) => void guard('onState', () => options.onState!(record)) }),
  });
  const watcher = (channelId: string, agent: string) => assembler.expectOriginated(channelId, agent);
  ctx.originateWatchers.add(watcher);

  const url = new URL('/ari/events', config.baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('app', config.app);
  // Credentials go in the Authorization header, never `api_key` in the URL (URLs end up in logs).
  const auth = `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`;
  const open =
    options.connect ??
    ((target: string, headers: Record<string, string>) =>
      new WebSocket(target, { headers, maxPayload: MAX_EVENT_BYTES, followRedirects: false }) as AriSocket);

  let closed = false;
  let socket: AriSocket | undefined;
  let timer: unknown;
  let attempt = 0;
  let lastEventAt: number | undefined;
  /** Channels live when the socket dropped: only they can have ended unseen. */
  let gap: { channels: Set<string>; start: number } | undefined;
  let readyWaiters: (() => void)[] = [];
  let isReady = false;

  const markReady = () => {
    isReady = true;
    for (const resolve of readyWaiters) resolve();
    readyWaiters = [];
  };

  const resync = async () => {
    if (!gap) return markReady();
    const { channels, start } = gap;
    try {
      const list = await ctx.http.request({ path: '/ari/channels', schema: ChannelList, operation: 'listChannels' });
      const present = list.flatMap((c) => {
        const parsed = WireChannel.safeParse(c);
        return parsed.success ? [parsed.data] : [];
      });
      const presentIds = new Set(present.map((c) => c.id));
      // A channel of the gap that is absent ended unseen; keep present channels and new calls as they are.
      const stillLive = present.filter((c) => channels.has(c.id));
      const absent = [...channels].filter((id) => !presentIds.has(id));
      if (absent.length > 0 || stillLive.length > 0) assembler.resync(stillLive, absent, start);
      // Calls that started during the gap: their StasisStart was lost, but their channels are here.
      const tracked = new Set(assembler.liveChannels());
      const started = present.filter(
        (c) =>
          !tracked.has(c.id) && c.dialplan?.app_name === 'Stasis' && (c.dialplan.app_data ?? '').split(',')[0] === config.app,
      );
      if (started.length > 0) {
        const bridges = await ctx.http.request({ path: '/ari/bridges', schema: BridgeList, operation: 'listBridges' });
        assembler.adopt(started, bridges, start);
      }
      gap = undefined;
      markReady();
    } catch {
      // Asterisk unreachable over REST: the socket is dropped and the whole resume retried.
      socket?.close();
    }
  };

  const connect = () => {
    if (closed) return;
    isReady = false;
    const ws = open(url.toString(), { authorization: auth });
    socket = ws;
    ws.on('open', () => {
      if (socket !== ws) return;
      attempt = 0;
      telemetry.emit('asterisk:connection', { ...base, phase: 'open', attempt });
      void resync();
    });
    ws.on('message', (data) => {
      if (socket !== ws || closed) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(data));
      } catch {
        telemetry.emit('asterisk:event-invalid', { ...base, eventType: 'not-json' });
        return;
      }
      const type = (parsed as { type?: unknown } | null)?.type;
      const models = options.eventModels;
      if (models && typeof type === 'string' && models.models.has(type) && models.validateEvent(parsed).length > 0) {
        telemetry.emit('asterisk:event-invalid', { ...base, eventType: type.slice(0, 64) });
        return;
      }
      const event = WireEvent.safeParse(parsed);
      if (!event.success) {
        telemetry.emit('asterisk:event-invalid', {
          ...base,
          eventType: typeof type === 'string' ? type.slice(0, 64) : 'unknown',
        });
        return;
      }
      const at = parseAriTime(event.data.timestamp) ?? now();
      lastEventAt = Math.max(lastEventAt ?? at, at);
      try {
        assembler.apply(event.data, at);
      } catch {
        // A defect must not cost the socket (and every other call's events): report and go on.
        telemetry.emit('asterisk:handler-error', { ...base, handler: 'assembler' });
      }
    });
    ws.on('error', () => {
      // `close` follows every error; the message may quote the URL, so it is not reported.
    });
    ws.on('close', () => {
      if (socket !== ws) return;
      socket = undefined;
      if (closed) return;
      if (!gap) gap = { channels: new Set(assembler.liveChannels()), start: lastEventAt ?? now() };
      else for (const id of assembler.liveChannels()) gap.channels.add(id);
      const delayMs = Math.round(
        Math.min(config.reconnect.maxDelayMs, config.reconnect.initialDelayMs * 2 ** attempt) * (0.5 + random() / 2),
      );
      attempt += 1;
      telemetry.emit('asterisk:connection', { ...base, phase: 'reconnecting', attempt, delayMs });
      timer = timers.setTimeout(connect, delayMs);
    });
  };
  connect();

  const listener: CallListener = {
    get activeCalls() {
      return assembler.activeCalls;
    },
    ready() {
      return isReady ? Promise.resolve() : new Promise((resolve) => readyWaiters.push(resolve));
    },
    async close() {
      if (!closed) {
        closed = true;
        if (timer !== undefined) timers.clearTimeout(timer);
        socket?.close();
        socket = undefined;
        ctx.originateWatchers.delete(watcher);
        ctx.listeners.delete(listener.close);
        telemetry.emit('asterisk:connection', { ...base, phase: 'closed', attempt });
        markReady();
      }
      await chain;
    },
  };
  ctx.listeners.add(listener.close);
  return listener;
}
