import type { Telemetry } from '@hmi/core';
import type { GatewayClient } from '../auth/types.js';
import { GatewayProblem } from './problem.js';

/** One event on the live stream. Data holds ids, counts and codes, never patient data. */
export interface GatewayEvent {
  /** `integration.running`, `integration.status`, `dead-letter.added`, `dead-letter.replayed`, `dead-letter.purged`. */
  type: string;
  /** The integration point, when the event has one (facility filtering uses it). */
  integrationPoint?: string | undefined;
  /** The scope a client needs to see it. */
  scope: string;
  data: Record<string, unknown>;
}

interface Subscriber {
  client: GatewayClient;
  send(event: GatewayEvent, id: number): void;
}

/** The fan-out behind `GET /v1/events`. @internal */
export interface EventHub {
  /** Opens a stream for a client, or throws `too-many-streams`. */
  open(client: GatewayClient, signal: AbortSignal | undefined): ReadableStream<Uint8Array>;
  publish(event: GatewayEvent): void;
  /** Open streams in total and for one client. */
  count(clientId?: string): number;
  /** Ends every stream and stops listening. */
  close(): void;
}

/** Options of the event hub. @internal */
export interface EventHubOptions {
  telemetry: Telemetry | undefined;
  perClient: number;
  total: number;
  heartbeatMs: number;
  /** Whether a client may see events of this integration point (facility check). */
  visible(client: GatewayClient, integrationPoint: string | undefined): boolean;
}

const encoder = new TextEncoder();

/** Creates the hub and subscribes it to the flows' telemetry. @internal */
export function createEventHub(options: EventHubOptions): EventHub {
  const subscribers = new Set<Subscriber>();
  const perClient = new Map<string, number>();
  const closers = new Set<() => void>();
  let nextId = 1;

  const publish = (event: GatewayEvent) => {
    const id = nextId++;
    for (const s of subscribers) {
      if (!s.client.scopes.has(event.scope)) continue;
      if (!options.visible(s.client, event.integrationPoint)) continue;
      s.send(event, id);
    }
  };

  const t = options.telemetry;
  const unsubscribe = t
    ? [
        t.on('sync:start', (e) =>
          publish({
            type: 'integration.running',
            integrationPoint: e.integrationPoint ?? e.syncId,
            scope: 'integrations:read',
            data: { integrationPoint: e.integrationPoint ?? e.syncId, runId: e.runId, trigger: e.trigger },
          }),
        ),
        t.on('sync:end', (e) =>
          publish({
            type: 'integration.status',
            integrationPoint: e.integrationPoint ?? e.syncId,
            scope: 'integrations:read',
            data: {
              integrationPoint: e.integrationPoint ?? e.syncId,
              runId: e.runId,
              ok: e.ok,
              records: e.records,
              errorCode: e.errorCode ?? null,
              status: e.ok ? 'ok' : 'failing',
            },
          }),
        ),
        t.on('dlq:added', (e) =>
          publish({
            type: 'dead-letter.added',
            integrationPoint: e.integrationPoint,
            scope: 'dead-letters:read',
            data: { id: e.itemId, integrationPoint: e.integrationPoint ?? null, attempts: e.attempts, errorCode: e.errorCode },
          }),
        ),
        t.on('dlq:replayed', (e) =>
          publish({
            type: 'dead-letter.replayed',
            integrationPoint: e.integrationPoint,
            scope: 'dead-letters:read',
            data: { id: e.itemId, integrationPoint: e.integrationPoint ?? null },
          }),
        ),
      ]
    : [];

  return {
    publish,
    count: (clientId) => (clientId === undefined ? subscribers.size : (perClient.get(clientId) ?? 0)),
    open(client, signal) {
      if ((perClient.get(client.id) ?? 0) >= options.perClient || subscribers.size >= options.total) {
        throw new GatewayProblem('too-many-streams', `at most ${options.perClient} open streams per client`, {
          headers: { 'retry-after': '30' },
        });
      }
      perClient.set(client.id, (perClient.get(client.id) ?? 0) + 1);
      let subscriber: Subscriber | undefined;
      let timer: ReturnType<typeof setInterval> | undefined;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        if (subscriber) subscribers.delete(subscriber);
        if (timer) clearInterval(timer);
        const left = (perClient.get(client.id) ?? 1) - 1;
        if (left > 0) perClient.set(client.id, left);
        else perClient.delete(client.id);
        closers.delete(closeStream);
        signal?.removeEventListener('abort', closeStream);
      };
      let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined;
      const closeStream = () => {
        finish();
        try {
          controllerRef?.close();
        } catch {
          // already closed by the reader
        }
      };
      closers.add(closeStream);
      signal?.addEventListener('abort', closeStream, { once: true });
      return new ReadableStream<Uint8Array>({
        start(controller) {
          controllerRef = controller;
          const write = (text: string) => {
            if (done) return;
            try {
              controller.enqueue(encoder.encode(text));
            } catch {
              finish();
            }
          };
          subscriber = {
            client,
            send: (event, id) => write(`id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`),
          };
          subscribers.add(subscriber);
          // The retry hint, and a first line so proxies flush the headers at once.
          write('retry: 5000\n: connected\n\n');
          timer = setInterval(() => write(': heartbeat\n\n'), options.heartbeatMs);
          timer.unref?.();
        },
        cancel() {
          finish();
        },
      });
    },
    close() {
      for (const off of unsubscribe) off();
      for (const close of [...closers]) close();
    },
  };
}
