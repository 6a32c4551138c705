import { isHmiError, type SerializedHmiError, type Telemetry } from '@hmi/core';
import { toSafeErrorJson } from '../errors.js';
import type { AuditTrigger, ClaimedItem, StateStore } from '../store/types.js';
import type { Clock } from '../util/clock.js';
import { topicMatches } from '../util/topics.js';
import { nextRetryDelay, type ResolvedSchedule } from './retry-schedule.js';

/** What a delivery function receives besides the item. */
export interface DeliveryContext {
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the lease is about to run out or the worker is stopped with `abort`. */
  signal: AbortSignal;
  /** Stable across attempts and replays (the item id): pass it to the vendor as an idempotency key. */
  idempotencyKey: string;
}

/** Delivers one outbox item; throw to fail the attempt. */
export type DeliverFn = (item: ClaimedItem, context: DeliveryContext) => Promise<void>;

/**
 * What the vendor says about an in-doubt item: `sent` (it has it: the item is done), `not_sent`
 * (it does not: send again), `unknown` (it cannot tell: a human decides, from the dead-letter queue).
 */
export type ReconcileResult = 'sent' | 'not_sent' | 'unknown';

/**
 * Looks an in-doubt keyless item up at the vendor (Twilio: messages to that number in the window,
 * matched by a body hash; SendGrid: `custom_args` carrying the outbox id). A throw means "ask again
 * later": the item stays in doubt.
 */
export type ReconcileFn = (item: ClaimedItem) => Promise<ReconcileResult>;

/** How the outbox treats items whose send may or may not have reached the vendor. */
export interface InDoubtOptions {
  /**
   * Reconcilers by topic (exact, or a prefix pattern `deliver:sms*`). A topic with a reconciler is
   * keyless: an in-doubt item is looked up, never resent blindly.
   */
  reconcile?: Readonly<Record<string, ReconcileFn>>;
  /**
   * Topics (patterns) whose vendor has no idempotency key (SMS, email). Their in-doubt items without
   * a reconciler go to the dead-letter queue with code `in_doubt`. Other topics are keyed: an
   * in-doubt item is sent again with the same idempotency key, which the vendor deduplicates.
   */
  keyless?: readonly string[];
  /** How long an item may stay in doubt while its reconciler keeps failing. Default 24 h. */
  maxInDoubtMs?: number;
}

/**
 * Whether a failure is final: an HmiError with `retryable: false`, or a foreign error carrying an
 * HTTP `status`/`statusCode` in 4xx other than 408, 409, 425 and 429 (a request the vendor refused
 * will be refused again). Everything else is transient.
 */
export function isPermanentFailure(error: unknown): boolean {
  if (isHmiError(error)) return !error.retryable;
  const raw =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown })?.statusCode;
  const status = typeof raw === 'number' ? raw : Number.NaN;
  return status >= 400 && status < 500 && ![408, 409, 425, 429].includes(status);
}

/** Whether a failure proves the request had no effect: `notProcessed`, or an HTTP 4xx answer. */
function provenNotProcessed(error: unknown): boolean {
  if (isHmiError(error) && error.notProcessed) return true;
  const raw = (error as { status?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof raw === 'number' && raw >= 400 && raw < 500;
}

/** How long a failure asked to wait (a 429's or 503's Retry-After), when it said. */
export function retryAfterOf(error: unknown): number | undefined {
  const ms = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** Everything one attempt needs; shared by `createOutboxWorker` and queue runners. @internal */
export interface AttemptPolicy extends InDoubtOptions {
  store: StateStore;
  deliver: DeliverFn;
  schedule: ResolvedSchedule;
  clock: Clock;
  random: () => number;
  telemetry: Telemetry;
  isPermanent: (error: unknown) => boolean;
  audit: boolean;
}

/** How an attempt ended. `lost`: the lease ran out first, another worker owns the item now. @internal */
export type AttemptOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; nextAttemptAt: number; retryAfterMs: number | undefined }
  | { kind: 'dead'; code: string }
  | { kind: 'lost' }
  /** The item's reconciler failed; it stays leased and in doubt until the lease runs out. */
  | { kind: 'in_doubt' };

const IN_DOUBT_DEFAULT_MS = 24 * 60 * 60 * 1000;

function reconcilerOf(policy: InDoubtOptions, topic: string): ReconcileFn | undefined {
  const map = policy.reconcile ?? {};
  if (Object.hasOwn(map, topic)) return map[topic];
  const pattern = Object.keys(map).find((p) => p.endsWith('*') && topicMatches(topic, [p]));
  return pattern === undefined ? undefined : map[pattern];
}

function inDoubtError(message: string, from?: SerializedHmiError): SerializedHmiError {
  return {
    name: 'HmiError',
    code: 'in_doubt',
    message,
    retryable: false,
    ...(from?.status !== undefined && { status: from.status }),
    ...(from?.vendorCode !== undefined && { vendorCode: from.vendorCode }),
  };
}

/**
 * One attempt at one claimed item, by the rules of the outbox:
 *
 * 1. An item claimed with `attemptStartedAt` set is *in doubt* (its worker died mid-send). Keyed
 *    topics are sent again with the same idempotency key. Keyless ones (`keyless`, or any topic with
 *    a reconciler) are looked up first: `sent` completes the item, `not_sent` sends it, `unknown`, no
 *    reconciler, or still failing after `maxInDoubtMs` moves it to the dead-letter queue with code
 *    `in_doubt`.
 * 2. `beginAttempt` records, durably, that the send starts; a lost lease stops here.
 * 3. The send. Success completes; a permanent failure (see {@link isPermanentFailure}) dead-letters
 *    after one attempt; a transient one is retried on the schedule (later when the vendor's
 *    Retry-After says so) until it runs out. An error with `outcomeUnknown` (a keyless write that
 *    may have taken effect) is reconciled as in 1 when the topic has a reconciler; without one it
 *    is held with code `in_doubt`, unless the host's `isPermanent` keeps it (and reconciles itself).
 * @internal
 */
export async function attemptDelivery(item: ClaimedItem, policy: AttemptPolicy, signal: AbortSignal): Promise<AttemptOutcome> {
  const { store, telemetry, clock } = policy;
  const attempt = item.attempts + 1;
  const ctx = { connector: item.connector, integrationPoint: item.integrationPoint, topic: item.topic, itemId: item.id };
  const auditOf = (outcome: 'success' | 'retry' | 'dead', ms: number, code?: string, trigger?: AuditTrigger) => {
    if (!policy.audit) return [];
    return [
      {
        integrationPoint: item.integrationPoint ?? item.topic,
        connector: item.connector,
        operation: item.topic.startsWith('webhook:') ? 'webhook.processed' : 'outbox.delivery',
        recordIds: [item.id],
        outcome,
        trigger: trigger ?? (attempt > 1 ? 'retry' : item.replays > 0 ? 'replay' : 'outbox'),
        errorCode: code,
        durationMs: Math.round(ms),
        correlationId: item.id,
      },
    ];
  };
  const dead = async (error: SerializedHmiError, ms: number): Promise<AttemptOutcome> => {
    if (!(await store.moveToDlq(item.id, item.leaseToken, error, auditOf('dead', ms, error.code)))) return { kind: 'lost' };
    telemetry.emit('dlq:added', { ...ctx, attempts: attempt, errorCode: error.code });
    return { kind: 'dead', code: error.code };
  };
  const reconcileFn = reconcilerOf(policy, item.topic);
  const keyless =
    reconcileFn !== undefined ||
    (policy.keyless !== undefined && policy.keyless.length > 0 && topicMatches(item.topic, policy.keyless));

  /** Settles an item whose send may have happened; undefined means "send it (again)". */
  const settleInDoubt = async (from?: SerializedHmiError): Promise<AttemptOutcome | undefined> => {
    if (!reconcileFn) {
      telemetry.emit('outbox:in_doubt', { ...ctx, decision: 'held' });
      return dead(
        inDoubtError('the send may have reached the vendor, which has no idempotency key: held for a human decision', from),
        0,
      );
    }
    const started = performance.now();
    let verdict: ReconcileResult;
    try {
      verdict = await reconcileFn(item);
    } catch {
      const since = item.attemptStartedAt ?? clock.now();
      if (clock.now() - since >= (policy.maxInDoubtMs ?? IN_DOUBT_DEFAULT_MS)) {
        telemetry.emit('outbox:in_doubt', { ...ctx, decision: 'held' });
        return dead(inDoubtError('the vendor could not be asked whether it has the item: held for a human decision', from), 0);
      }
      // Left leased and marked: when the lease runs out, the next claim asks again.
      telemetry.emit('outbox:in_doubt', { ...ctx, decision: 'reconcile_failed' });
      return { kind: 'in_doubt' };
    }
    const ms = performance.now() - started;
    if (verdict === 'sent') {
      telemetry.emit('outbox:in_doubt', { ...ctx, decision: 'reconciled_sent' });
      if (!(await store.complete(item.id, item.leaseToken, auditOf('success', ms, undefined, 'reconcile'))))
        return { kind: 'lost' };
      telemetry.emit('outbox:delivered', { ...ctx, attempt, durationMs: ms });
      return { kind: 'delivered' };
    }
    if (verdict === 'not_sent') {
      telemetry.emit('outbox:in_doubt', { ...ctx, decision: 'reconciled_not_sent' });
      return undefined;
    }
    telemetry.emit('outbox:in_doubt', { ...ctx, decision: 'held' });
    return dead(inDoubtError('the vendor cannot tell whether it has the item: held for a human decision', from), ms);
  };

  if (item.attemptStartedAt !== undefined) {
    if (keyless) {
      const settled = await settleInDoubt();
      if (settled) return settled;
    } else {
      telemetry.emit('outbox:in_doubt', { ...ctx, decision: 'retry_same_key' });
    }
  }

  if (!(await store.beginAttempt(item.id, item.leaseToken))) return { kind: 'lost' };
  const started = performance.now();
  try {
    await policy.deliver(item, { attempt, signal, idempotencyKey: item.id });
  } catch (error) {
    const safe = toSafeErrorJson(error);
    safe.message = telemetry.redactor.redactString(safe.message);
    const ms = performance.now() - started;
    // A keyless send whose failure does not prove it had no effect (a timeout, a reset, an abort, a
    // 5xx) may have reached the vendor: it is in doubt, like core's `outcomeUnknown`. A 4xx is the
    // vendor refusing it, and `notProcessed` is the vendor (or the core) saying nothing happened.
    const unknown =
      (isHmiError(error) && error.outcomeUnknown) || (keyless && !provenNotProcessed(error) && !policy.isPermanent(error));
    if (unknown && (reconcileFn || keyless)) {
      const settled = await settleInDoubt(safe);
      if (settled) return settled;
      // The vendor says it does not have it: an ordinary failed attempt, retried on the schedule.
    } else if (policy.isPermanent(error)) {
      // A keyless write that may have gone, with no reconciler: a human decides.
      if (unknown) return (await settleInDoubt(safe)) ?? dead(safe, ms);
      return dead(safe, ms);
    }
    const retryAfterMs = retryAfterOf(error);
    const scheduled = nextRetryDelay(attempt, policy.schedule, policy.random);
    if (scheduled === undefined) return dead(safe, ms);
    const delay = Math.max(scheduled, retryAfterMs ?? 0);
    const nextAttemptAt = clock.now() + delay;
    if (!(await store.fail(item.id, item.leaseToken, { error: safe, nextAttemptAt }, auditOf('retry', ms, safe.code)))) {
      return { kind: 'lost' };
    }
    telemetry.emit('outbox:retry', { ...ctx, attempt, delayMs: delay, nextAttemptAt, errorCode: safe.code });
    return { kind: 'retry', nextAttemptAt, retryAfterMs };
  }
  const ms = performance.now() - started;
  if (!(await store.complete(item.id, item.leaseToken, auditOf('success', ms)))) return { kind: 'lost' };
  telemetry.emit('outbox:delivered', { ...ctx, attempt, durationMs: ms });
  return { kind: 'delivered' };
}
