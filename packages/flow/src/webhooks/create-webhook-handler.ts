import {
  ConfigError,
  createTelemetry,
  isHmiError,
  type Telemetry,
  ValidationError,
  type WebhookEvent,
  WebhookVerificationError,
} from '@hmi/core';
import { answerHandshake } from './handshake.js';
import { createOutboxWorker } from '../outbox/outbox-worker.js';
import type { AuditEntry, EnqueueResult, OutboxEnqueue } from '../store/types.js';
import type {
  WebhookEventProcessor,
  WebhookHandler,
  WebhookHandlerOptions,
  WebhookSource,
  WebhookSourceHandle,
} from './types.js';

/** The payload stored in the outbox for one event. */
interface StoredEvent {
  connector: string;
  webhook: string;
  event: WebhookEvent;
  /**
   * False when `event` is the vendor's event as received, to be mapped at delivery: a mapping that
   * fails then sends the stored event to the dead-letter queue, where a replay after the fix maps
   * it again. Absent (older items) or true: already mapped.
   */
  mapped?: boolean;
}

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

function reply(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/**
 * Creates a webhook endpoint `(Request) => Promise<Response>` for several connectors. It routes
 * `…/<key>` (or `…/<key>/<webhookName>` when a connector has several webhooks), verifies the
 * signature on the raw bytes with the connector's own verifier, stores each event durably in the
 * outbox (deduplicated by `webhook:<key>:<eventId>`) and only then answers 200. Processing
 * (`onEvent`) happens afterwards with retries, so the answer never waits for it.
 *
 * Verify → store → acknowledge → map: the event is stored as the vendor sent it (the handle's
 * `receive`) and mapped to canonical records only at delivery (`map`), so an authentic event whose
 * shape the connector does not expect (an older API version, a new event type) is still stored and
 * acknowledged. A mapping failure is final for that attempt: the item goes to the dead-letter queue
 * (`dlq:added` with `errorCode: 'webhook_mapping_failed'`, plus `webhook:mapping_failed`), and
 * replaying it after the mapping is fixed maps it again.
 *
 * Answers: 200 stored (or duplicate); 400 malformed; 401 bad signature (no detail); 404 unknown
 * route; 405 not POST; 413 too large; 503 store unavailable. Bad input never gets a 500.
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const { connectors, store } = options;
  const telemetry: Telemetry = options.telemetry ?? createTelemetry();
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const audit = options.audit !== false;
  const keys = Object.keys(connectors);
  if (keys.length === 0) throw new ConfigError('createWebhookHandler needs at least one connector');

  const { autoStart = true, ...processing } = options.processing ?? {};
  const worker = options.onEvent
    ? createOutboxWorker({
        ...processing,
        store,
        telemetry,
        topics: keys.map((k) => `webhook:${k}`),
        deliver: deliverWith(options.onEvent, connectors, telemetry),
      })
    : undefined;
  if (worker && autoStart) worker.start();

  const record = async (entries: AuditEntry[]) => {
    if (!audit || entries.length === 0) return;
    await store.appendAudits(entries).catch(() => {});
  };

  const reject = async (status: number, reason: string, route?: Route, errorCode?: string) => {
    telemetry.emit('webhook:rejected', {
      status,
      reason,
      ...(route && { connector: route.key, webhook: route.webhook, integrationPoint: `webhook:${route.key}` }),
      ...(errorCode && { errorCode }),
    });
    if (route && (status === 400 || status === 401 || status === 413)) {
      await record([
        {
          integrationPoint: `webhook:${route.key}`,
          connector: route.key,
          operation: 'webhook.received',
          outcome: 'rejected',
          trigger: 'webhook',
          errorCode: errorCode ?? reason,
        },
      ]);
    }
    const error = { 400: 'invalid_payload', 401: 'unauthorized', 404: 'not_found', 405: 'method_not_allowed', 413: 'too_large' }[
      status
    ];
    return reply(status, { error: error ?? 'unavailable' }, status === 405 ? { allow: 'POST' } : {});
  };

  const handler = async (request: Request): Promise<Response> => {
    const started = performance.now();
    const route = resolveRoute(request.url, connectors);
    if (!route) return reject(404, 'not_found');
    const handshake = await answerHandshake(route.handle, request);
    if (handshake) return handshake;
    if (request.method !== 'POST') return reject(405, 'method', route);

    const body = await readBody(request, maxBodyBytes);
    if (body === 'too_large') return reject(413, 'too_large', route);
    if (body === 'unreadable') return reject(400, 'invalid', route, 'body_unreadable');

    let events: WebhookEvent[];
    try {
      const raw = { method: request.method, url: request.url, headers: request.headers, rawBody: body };
      // `receive` (verified, unmapped) where the handle has it; a hand-made source may only verify.
      events = typeof route.handle.receive === 'function' ? await route.handle.receive(raw) : await route.handle.verify(raw);
      validateEvents(events);
    } catch (error) {
      if (WebhookVerificationError.isInstance(error)) return reject(401, 'signature', route, error.code);
      // A verifier that cannot run (missing secret) is our fault: 503 makes the vendor retry later.
      if (ConfigError.isInstance(error)) return reject(503, 'config', route, error.code);
      return reject(400, 'invalid', route, isHmiError(error) ? error.code : 'invalid_payload');
    }

    const integrationPoint = `webhook:${route.key}`;
    const items: OutboxEnqueue[] = events.map((event) => ({
      id: `webhook:${route.key}:${event.id}`,
      topic: integrationPoint,
      payload: {
        connector: route.key,
        webhook: route.webhook,
        event: { ...event, connector: event.connector ?? route.key },
        mapped: typeof route.handle.receive !== 'function',
      } satisfies StoredEvent,
      orderingKey: options.orderingKey?.(event, route.key),
      integrationPoint,
      connector: route.key,
    }));
    const base = { integrationPoint, connector: route.key, operation: 'webhook.received', trigger: 'webhook' } as const;
    // The receipt's audit record goes in the enqueue's transaction: one commit per request.
    const receipt = (results: readonly EnqueueResult[]): AuditEntry[] => {
      if (!audit) return [];
      const fresh = events.filter((_, i) => results[i]?.created).map((e) => e.id);
      const dupes = events.filter((_, i) => !results[i]?.created).map((e) => e.id);
      return [
        ...(fresh.length
          ? [{ ...base, outcome: 'success' as const, recordIds: fresh, durationMs: Math.round(performance.now() - started) }]
          : []),
        ...(dupes.length ? [{ ...base, outcome: 'duplicate' as const, recordIds: dupes }] : []),
      ];
    };
    let results: EnqueueResult[];
    try {
      results = items.length ? await store.enqueue(items, receipt) : [];
    } catch (error) {
      return reject(503, 'store_unavailable', route, isHmiError(error) ? error.code : 'store_error');
    }
    const fresh = events.filter((_, i) => results[i]?.created);
    const duplicates = events.filter((_, i) => !results[i]?.created);
    for (const event of duplicates) {
      telemetry.emit('webhook:duplicate', { connector: route.key, integrationPoint, webhook: route.webhook, eventId: event.id });
    }
    for (const item of items.filter((_, i) => results[i]?.created)) {
      telemetry.emit('outbox:enqueued', { connector: route.key, integrationPoint, topic: item.topic, itemId: item.id });
    }
    const durationMs = performance.now() - started;
    telemetry.emit('webhook:received', {
      connector: route.key,
      integrationPoint,
      webhook: route.webhook,
      events: events.length,
      duplicates: duplicates.length,
      durationMs,
    });
    if (fresh.length) worker?.notify();
    return reply(200, { received: events.length, duplicates: duplicates.length });
  };

  return Object.assign(handler, {
    worker,
    async close() {
      await worker?.stop();
    },
  });
}

interface Route {
  key: string;
  webhook: string;
  handle: WebhookSourceHandle;
}

/** `…/<key>/<webhook>` or `…/<key>`; own properties only, so `…/__proto__` is just unknown. */
function resolveRoute(url: string, connectors: Readonly<Record<string, WebhookSource>>): Route | undefined {
  let segments: string[];
  try {
    segments = new URL(url).pathname
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  const last = segments.at(-1);
  const prev = segments.at(-2);
  const own = (o: object, k: string | undefined): k is string => k !== undefined && Object.hasOwn(o, k);
  if (own(connectors, prev) && own(connectors[prev]!.webhooks, last)) {
    return { key: prev, webhook: last, handle: connectors[prev]!.webhooks[last]! };
  }
  if (own(connectors, last)) {
    const webhooks = connectors[last]!.webhooks;
    const names = Object.keys(webhooks);
    const name = names.length === 1 ? names[0] : own(webhooks, 'default') ? 'default' : undefined;
    if (name !== undefined) return { key: last, webhook: name, handle: webhooks[name]! };
  }
  return undefined;
}

/** Reads the body as bytes, stopping at the limit. */
async function readBody(request: Request, limit: number): Promise<Uint8Array | 'too_large' | 'unreadable'> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return 'too_large';
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return 'too_large';
      }
      chunks.push(value);
    }
  } catch {
    return 'unreadable';
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function validateEvents(events: unknown): asserts events is WebhookEvent[] {
  if (!Array.isArray(events)) throw new ValidationError('the verifier returned no event list');
  for (const e of events) {
    const event = e as Partial<WebhookEvent> | null;
    if (
      !event ||
      typeof event.id !== 'string' ||
      event.id.length === 0 ||
      event.id.length > 512 ||
      typeof event.type !== 'string'
    ) {
      throw new ValidationError('a webhook event has no usable id or type');
    }
  }
}

function deliverWith(onEvent: WebhookEventProcessor, connectors: Readonly<Record<string, WebhookSource>>, telemetry: Telemetry) {
  return async (
    item: { id: string; payload: unknown },
    ctx: { attempt: number; signal: AbortSignal; idempotencyKey: string },
  ): Promise<void> => {
    const stored = item.payload as StoredEvent | null;
    if (!stored || typeof stored !== 'object' || !stored.event || typeof stored.connector !== 'string') {
      throw new ValidationError('a stored webhook item has an unexpected shape');
    }
    const context = { connector: stored.connector, webhook: stored.webhook, ...ctx };
    if (stored.mapped !== false) {
      await onEvent(stored.event, context);
      return;
    }
    const events = await mapStored(stored, connectors, telemetry);
    for (const event of events) {
      // One stored event may map to several (a message and a consent change): each gets its own key.
      const idempotencyKey = event.id === stored.event.id ? ctx.idempotencyKey : `${ctx.idempotencyKey}#${event.id}`;
      await onEvent(event, { ...context, idempotencyKey });
    }
  };
}

/**
 * Maps a stored vendor event with the connector's current mapping. Any failure is final for this
 * attempt (a mapping does not heal by waiting): a ValidationError `webhook_mapping_failed` sends
 * the item to the dead-letter queue, from where a replay after the fix maps it again.
 */
async function mapStored(
  stored: StoredEvent,
  connectors: Readonly<Record<string, WebhookSource>>,
  telemetry: Telemetry,
): Promise<WebhookEvent[]> {
  const source = Object.hasOwn(connectors, stored.connector) ? connectors[stored.connector] : undefined;
  const handle = source && Object.hasOwn(source.webhooks, stored.webhook) ? source.webhooks[stored.webhook] : undefined;
  const base = { connector: stored.connector, integrationPoint: `webhook:${stored.connector}`, webhook: stored.webhook };
  try {
    if (!handle || typeof handle.map !== 'function') {
      throw new ValidationError(`no webhook ${stored.webhook} on connector ${stored.connector} to map a stored event`);
    }
    const events = await handle.map(stored.event);
    validateEvents(events);
    return events;
  } catch (error) {
    const errorCode = isHmiError(error) ? error.code : 'mapping_error';
    telemetry.emit('webhook:mapping_failed', { ...base, eventId: stored.event.id, eventType: stored.event.type, errorCode });
    throw new ValidationError(
      `the stored ${stored.connector} event could not be mapped (${errorCode}); replay it once the mapping is fixed`,
      {
        code: 'webhook_mapping_failed',
        connector: stored.connector,
        operation: `webhook:${stored.webhook}`,
        ...(isHmiError(error) && { issues: (error as ValidationError).issues ?? [] }),
        cause: error,
      },
    );
  }
}
