import { EventEmitter } from 'eventemitter3';
import type { SerializedHmiError } from '../errors/hmi-error.js';
import { createRedactor, type Redactor } from '../redaction/redactor.js';

/** Fields every telemetry event may carry to say where it came from. */
export interface TelemetryContext {
  /** The connector id, e.g. `stripe`. */
  connector?: string;
  /** The action, stream or request name. */
  operation?: string;
  /** The integration point (set by the sync and webhook machinery). */
  integrationPoint?: string;
}

/**
 * The events on a telemetry bus. Later packages add theirs by declaration merging:
 * `declare module '@hmi/core' { interface TelemetryEventMap { 'sync:page': {...} } }`.
 */
export interface TelemetryEventMap {
  'request:start': TelemetryContext & { requestId: string; method: string; url: string; attempt: number };
  'request:end': TelemetryContext & {
    requestId: string;
    method: string;
    url: string;
    attempt: number;
    status?: number;
    durationMs: number;
    ok: boolean;
    errorCode?: string;
  };
  retry: TelemetryContext & { requestId: string; attempt: number; reason: string; waitMs: number };
  'rate-limit': TelemetryContext & { waitMs: number; source: 'local' | 'server' };
  'circuit:open': TelemetryContext & { name: string; failures: number };
  'circuit:half-open': TelemetryContext & { name: string };
  'circuit:close': TelemetryContext & { name: string };
  /**
   * A token was fetched: `trigger` says why (`initial`, `expired`, or `401` for a refresh after a
   * refusal); `durationMs` is the real time the token endpoint took.
   */
  'auth:refresh': TelemetryContext & {
    strategy: string;
    ok: boolean;
    durationMs: number;
    trigger?: 'initial' | 'expired' | '401';
    errorCode?: string;
  };
  'action:end': TelemetryContext & { durationMs: number; ok: boolean; errorCode?: string };
  error: TelemetryContext & { error: SerializedHmiError };
  /**
   * The PHI firewall (`createPhiFirewall`) looked at an outbound analytics or ad event: how many
   * things of each kind it removed (`enforce`) or would have removed (`report`, `forwarded: false`).
   * Counts only, never values.
   */
  'privacy:firewall': TelemetryContext & {
    mode: 'enforce' | 'report';
    removed: Record<string, number>;
    total: number;
    forwarded: boolean;
  };
}

/** A telemetry event name. */
export type TelemetryEventName = keyof TelemetryEventMap;

/** A listener for every event on the bus. */
export type AnyTelemetryListener = (name: TelemetryEventName, payload: unknown) => void;

/**
 * A typed event bus for what the pipeline does. Payloads are redacted before any listener sees
 * them, and listeners' exceptions never break the request that emitted the event.
 */
export interface Telemetry {
  /** Listens for one event. Returns a function that removes the listener. */
  on<K extends TelemetryEventName>(name: K, listener: (payload: TelemetryEventMap[K]) => void): () => void;
  /** Listens for every event (metrics, tracing, canary tests). Returns a remover. */
  onAny(listener: AnyTelemetryListener): () => void;
  /** Emits an event; the payload is redacted first. Cheap when nobody listens. */
  emit<K extends TelemetryEventName>(name: K, payload: TelemetryEventMap[K]): void;
  /**
   * Whether anyone listens for `name` (so emitters can skip building a payload). Optional for
   * hand-written buses; treat absence as "yes".
   */
  wants?(name: TelemetryEventName): boolean;
  /** The redactor applied to every payload. Auth strategies register their secrets here. */
  readonly redactor: Redactor;
}

/** Top-level keys of the core's own events, which hold codes and names, never patient data. */
const TRUSTED_EVENT_KEYS: ReadonlySet<string> = new Set([
  'reason',
  'name',
  'source',
  'strategy',
  'status',
  'errorCode',
  'trigger',
  // The `error` event carries a serialised HmiError: codes and names, never values.
  'error.name',
  'error.code',
  'error.vendorCode',
  'error.reason',
  'error.issues.*.code',
  'error.issues.*.path',
]);

/** Options for {@link createTelemetry}. */
export interface TelemetryOptions {
  /** The redactor to use; a fresh one by default. */
  redactor?: Redactor;
  /** Called when a listener throws; by default the error is dropped. */
  onListenerError?: (error: unknown) => void;
}

/** Creates a telemetry bus. Share one between clients to see them all in one place. */
export function createTelemetry(options: TelemetryOptions = {}): Telemetry {
  const emitter = new EventEmitter();
  const anyListeners = new Set<AnyTelemetryListener>();
  const redactor = options.redactor ?? createRedactor();
  const safeCall = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      options.onListenerError?.(error);
    }
  };
  return {
    redactor,
    on(name, listener) {
      const wrapped = (payload: TelemetryEventMap[typeof name]) => safeCall(() => listener(payload));
      emitter.on(name, wrapped);
      return () => emitter.off(name, wrapped);
    },
    onAny(listener) {
      anyListeners.add(listener);
      return () => anyListeners.delete(listener);
    },
    wants(name) {
      return anyListeners.size > 0 || emitter.listenerCount(name) > 0;
    },
    emit(name, payload) {
      if (anyListeners.size === 0 && emitter.listenerCount(name) === 0) return;
      const safe = redactor.redact(payload, TRUSTED_EVENT_KEYS);
      emitter.emit(name, safe);
      for (const listener of anyListeners) safeCall(() => listener(name, safe));
    },
  };
}
