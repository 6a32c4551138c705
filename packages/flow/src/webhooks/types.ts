import type { Telemetry, WebhookEvent, WebhookHandle } from '@hmi/core';
import type { OutboxWorker, OutboxWorkerOptions } from '../outbox/outbox-worker.js';
import type { StateStore } from '../store/types.js';

/**
 * What the handler needs of one webhook: `verify`, and `receive` + `map` to store events before
 * mapping them (every connector instance has both; a hand-made source may give `verify` only, and
 * its events are then stored as verified).
 */
export type WebhookSourceHandle = Pick<WebhookHandle, 'verify'> & Partial<Pick<WebhookHandle, 'receive' | 'map' | 'handshake'>>;

/** What the handler needs of a connector instance: its webhooks (`connector.webhooks`). */
export interface WebhookSource {
  readonly webhooks: Readonly<Record<string, WebhookSourceHandle>>;
}

/** What `onEvent` receives besides the event. */
export interface WebhookEventContext {
  /** The route key the event came in on (`stripe`), which is also its connector key. */
  connector: string;
  /** The connector's webhook name. */
  webhook: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the delivery's lease runs out. */
  signal: AbortSignal;
  /** `webhook:<connector>:<eventId>`, stable across retries: pass it on to make side effects idempotent. */
  idempotencyKey: string;
}

/** Processes one verified, deduplicated event. Throw to retry it later. */
export type WebhookEventProcessor = (event: WebhookEvent, context: WebhookEventContext) => Promise<void> | void;

/** Options of {@link createWebhookHandler}. */
export interface WebhookHandlerOptions {
  /** Route keys to connector instances: `{ stripe, twilio }` serves `…/stripe` and `…/twilio`. */
  connectors: Readonly<Record<string, WebhookSource>>;
  /** Where events are stored before the 2xx, and deduplicated. */
  store: StateStore;
  /**
   * Processes events asynchronously, with retries on the outbox schedule and the dead-letter queue
   * after that. Without it events are only stored, for a worker of your own on topics `webhook:<key>`.
   */
  onEvent?: WebhookEventProcessor;
  telemetry?: Telemetry;
  /** Options of the processing worker (concurrency, schedule, clock, …). `autoStart` defaults to true. */
  processing?: Omit<OutboxWorkerOptions, 'store' | 'deliver' | 'topics' | 'telemetry'> & { autoStart?: boolean };
  /** Largest body accepted; larger gets 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** The ordering key of an event (a patient id): events with the same key are processed in order. */
  orderingKey?: (event: WebhookEvent, connector: string) => string | undefined;
  /** Write audit records (received, rejected, processed). Default true. */
  audit?: boolean;
}

/** A Fetch-API webhook endpoint, with the worker that processes its events. */
export interface WebhookHandler {
  (request: Request): Promise<Response>;
  /** The processing worker, when `onEvent` was given. */
  readonly worker: OutboxWorker | undefined;
  /** Stops processing (waits for events in flight). Stored events stay for the next start. */
  close(): Promise<void>;
}
