import type { HttpClient, Telemetry } from '@hmi/core';
import type { AsteriskConfig } from './asterisk-config.js';
import type { CallStore } from './calls/call-store.js';

/** What every action, the `calls` stream and the listener receive (built once per instance in `setup`). */
export interface AsteriskContext {
  http: HttpClient;
  config: AsteriskConfig;
  telemetry: Telemetry;
  /** The fetch used for recordings' bodies (streamed, so not through the JSON client). */
  fetch: typeof globalThis.fetch;
  /** Finished calls, for the `calls` stream. */
  store: CallStore;
  /** Tells the instance's listeners that a channel is a click-to-call this instance placed. */
  expectOriginated(channelId: string, agent: string): void;
  /** Open listeners' `close`, so closing the instance stops them too. */
  listeners: Set<() => Promise<void>>;
  /** The listeners' hooks for {@link AsteriskContext.expectOriginated}. */
  originateWatchers: Set<(channelId: string, agent: string) => void>;
}
