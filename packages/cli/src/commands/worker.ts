import { resolve } from 'node:path';
import type { ClaimedItem, DeliveryContext, StateStore, SyncSchedule } from '@hmi/flow';
import { createOutboxWorker, parseDuration, runSync, scheduleSync } from '@hmi/flow';
import { loadConfig } from '../config/load-config.js';
import { type PreparedRun, prepareRun } from '../run/prepare.js';
import { type CliIo, EXIT, openStateForRun, resolveRef } from './context.js';

/** Flags of `hmi worker`. */
export interface WorkerFlags {
  state?: string;
  json: boolean;
}

type Deliver = (item: ClaimedItem, context: DeliveryContext) => Promise<void>;

/**
 * The outbox topic of a point's destination action: `deliver:<connector>.<action>`. Items the host
 * enqueues on it are written with that action (payload as input, the item id as idempotency key).
 */
export const topicOf = (connector: string, action: string) => `deliver:${connector}.${action}`;

/** One handler per destination action named by the config's points. */
function handlersOf(prepared: PreparedRun, loaded: Awaited<ReturnType<typeof loadConfig>>): Record<string, Deliver> {
  const handlers: Record<string, Deliver> = {};
  for (const point of loaded.config.points) {
    const { connector, action } = point.destination;
    const write = (prepared.connectors.get(connector)?.actions as Record<string, unknown> | undefined)?.[action];
    if (typeof write !== 'function') continue;
    handlers[topicOf(connector, action)] = async (item, { idempotencyKey, signal }) => {
      await (write as (input: unknown, options: unknown) => Promise<unknown>)(item.payload, { idempotencyKey, signal });
    };
  }
  return handlers;
}

/**
 * `hmi worker <file>`: a long-running worker process. It delivers the outbox items of every
 * destination action the config names (topic `deliver:<connector>.<action>`) and runs the scheduled
 * points. With `runner: { bullmq: { redis } }` it joins the other workers on the BullMQ queues (any
 * number of processes, one run of a sync at a time cluster-wide, rate limits per topic for the
 * cluster); without it, it works in-process on the store. Stops gracefully on SIGTERM/SIGINT.
 */
export async function workerCommand(io: CliIo, file: string, flags: WorkerFlags): Promise<number> {
  const loaded = await loadConfig(resolve(io.cwd, file));
  const prepared = await prepareRun(loaded, { env: io.env });
  const { store } = await openStateForRun(io, loaded, flags.state);
  const runner = loaded.config.runner;
  const handlers = handlersOf(prepared, loaded);
  const topics = Object.keys(handlers);
  const scheduled = prepared.points.filter((p) => p.schedule);
  const concurrency = runner?.concurrency ?? 8;
  const say = (line: string) => void (flags.json ? undefined : io.stderr.write(`${line}\n`));
  try {
    let stop: () => Promise<void>;
    if (runner?.bullmq) {
      const { createBullmqWorker } = await import('@hmi/queue-bullmq');
      const worker = createBullmqWorker({
        connection: resolveRef(io, runner.bullmq.redis, 'runner.bullmq.redis'),
        ...(runner.bullmq.prefix && { prefix: runner.bullmq.prefix }),
        store,
        handlers,
        concurrency,
        telemetry: prepared.telemetry,
        rateLimits: Object.fromEntries(
          Object.entries(runner.rateLimits ?? {}).map(([topic, l]) => [topic, { max: l.max, durationMs: parseDuration(l.per) }]),
        ),
        syncs: Object.fromEntries(
          scheduled.map((p) => [
            p.config.id,
            {
              ...p.schedule!,
              run: ({ signal }: { signal: AbortSignal }) => runSync({ ...p.sync, state: store, trigger: 'schedule', signal }),
            },
          ]),
        ),
        onError: (error) =>
          say(`worker: ${(error as Error)?.name ?? 'error'} (${(error as { code?: string })?.code ?? 'no code'})`),
      });
      stop = () => worker.close();
    } else {
      stop = startInProcess(store, handlers, prepared, scheduled, concurrency);
    }
    say(
      `hmi worker: ${topics.length} topic(s), ${scheduled.length} scheduled point(s), runner ${runner?.bullmq ? 'bullmq' : 'in-process'}, concurrency ${concurrency}; SIGTERM to stop`,
    );
    if (flags.json)
      io.stdout.write(`${JSON.stringify({ started: true, topics, scheduled: scheduled.map((p) => p.config.id) })}\n`);
    await new Promise<void>((done) => {
      if (!io.signal || io.signal.aborted) return done();
      io.signal.addEventListener('abort', () => done(), { once: true });
    });
    say('hmi worker: stopping (finishing deliveries in flight)');
    await stop();
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

function startInProcess(
  store: StateStore,
  handlers: Record<string, Deliver>,
  prepared: PreparedRun,
  scheduled: PreparedRun['points'],
  concurrency: number,
): () => Promise<void> {
  const topics = Object.keys(handlers);
  const outbox =
    topics.length > 0
      ? createOutboxWorker({
          store,
          topics,
          concurrency,
          telemetry: prepared.telemetry,
          deliver: (item, context) => handlers[item.topic]!(item, context),
        })
      : undefined;
  outbox?.start();
  const schedules: SyncSchedule[] = scheduled.map((p) =>
    scheduleSync({ ...p.sync, ...p.schedule, state: store, runOnStart: true } as Parameters<typeof scheduleSync>[0]),
  );
  return async () => {
    await Promise.all([outbox?.stop(), ...schedules.map((s) => s.stop({ abort: true }))]);
  };
}
