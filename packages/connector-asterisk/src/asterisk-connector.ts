import { type ConnectorInstanceOptions, defineConnector } from '@hmi/core';
import { AsteriskConfig, type AsteriskConfigInput } from './asterisk-config.js';
import type { AsteriskContext } from './asterisk-context.js';
import { classifyAsteriskError } from './asterisk-error.js';
import { type CallStore, createMemoryCallStore } from './calls/call-store.js';
import { calls } from './calls/calls-stream.js';
import { type CallListener, type ListenOptions, listenForCalls } from './calls/listen.js';
import { originate } from './channels/originate-action.js';
import {
  type GetRecordingOptions,
  getRecording,
  type RecordingDownload,
  type RecordingSink,
} from './recordings/get-recording.js';
import { startRecording, stopRecording } from './recordings/recording-actions.js';
import { PACKAGE_VERSION } from './version.js';

function buildAsteriskConnector(store?: CallStore, capture?: (ctx: AsteriskContext) => void) {
  return defineConnector({
    id: 'asterisk',
    name: 'Asterisk ARI',
    category: 'telephony',
    version: PACKAGE_VERSION,
    config: AsteriskConfig,
    auth: ['basic'],
    setup(config, runtime): AsteriskContext {
      const http = runtime.createHttpClient({
        baseUrl: config.baseUrl,
        auth: { type: 'basic', username: config.username, password: config.password },
        timeoutMs: config.timeoutMs,
        allowInsecureHttp: config.allowInsecureHttp,
        classifyError: classifyAsteriskError,
      });
      const originateWatchers = new Set<(channelId: string, agent: string) => void>();
      const ctx: AsteriskContext = {
        http,
        config,
        telemetry: runtime.telemetry,
        fetch: runtime.fetch ?? globalThis.fetch,
        store: store ?? createMemoryCallStore(config.dedupeWindow),
        originateWatchers,
        listeners: new Set(),
        expectOriginated(channelId, agent) {
          for (const watcher of originateWatchers) watcher(channelId, agent);
        },
      };
      capture?.(ctx);
      return ctx;
    },
    async check(ctx, signal) {
      await ctx.http.request({ path: '/ari/asterisk/info', operation: 'check', ...(signal && { signal }) });
    },
    async close(ctx) {
      await Promise.all([...ctx.listeners].map((close) => close()));
    },
    actions: { originate, startRecording, stopRecording },
    streams: { calls },
    webhooks: {},
  });
}

/**
 * The Asterisk ARI connector (contract v1): actions `originate` (click-to-call),
 * `startRecording`, `stopRecording`; the `calls` stream. Use {@link createAsteriskConnector} for
 * the live side (`listen`, `getRecording`), which this definition alone does not carry.
 */
export const asteriskConnector = buildAsteriskConnector();

/** Options of {@link createAsteriskConnector}. */
export interface AsteriskInstanceOptions extends ConnectorInstanceOptions {
  /** Where finished calls are kept for the `calls` stream and a second duplicate check. Default: memory. */
  callStore?: CallStore;
}

/** A configured Asterisk connector: the contract instance plus the live call listener and recordings. */
export type AsteriskConnector = ReturnType<typeof asteriskConnector.create> & {
  /**
   * Reads ARI events and calls `onCall` once per finished call; reconnects with backoff and
   * completes calls that ended while disconnected. Returns `{ close() }`.
   */
  listen(options: ListenOptions): CallListener;
  /** Streams a stored recording to `sink` without buffering it. Recordings are PHI. */
  getRecording(name: string, sink: RecordingSink, options?: GetRecordingOptions): Promise<RecordingDownload>;
};

/**
 * Creates an Asterisk connector instance; the config is validated (a ConfigError names the bad
 * field) and the ARI password registered with the instance's redactor.
 */
export function createAsteriskConnector(config: AsteriskConfigInput, options: AsteriskInstanceOptions = {}): AsteriskConnector {
  const { callStore, ...instanceOptions } = options;
  let ctx: AsteriskContext | undefined;
  const instance = buildAsteriskConnector(callStore, (c) => {
    ctx = c;
  }).create(config, instanceOptions);
  const context = ctx!;
  return Object.assign(instance, {
    listen: (listenOptions: ListenOptions) => listenForCalls(context, listenOptions),
    getRecording: (name: string, sink: RecordingSink, getOptions?: GetRecordingOptions) =>
      getRecording(context, name, sink, getOptions),
  });
}
