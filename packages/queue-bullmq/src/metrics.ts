import { Gauge, type Registry } from 'prom-client';
import type { BullmqWorker } from './bullmq-worker.js';

/** Options of {@link registerQueueMetrics}. */
export interface QueueMetricsOptions {
  /** Metric name prefix. Default `hmi_` (as `@hmi/monitor`'s `createMetrics`). */
  prefix?: string;
}

/**
 * Adds `hmi_queue_jobs{topic, queue, state}` (state: waiting, active, delayed, failed) to a
 * Prometheus registry — `@hmi/monitor`'s `createMetrics().registry` — read from Redis at every
 * scrape. Labels are topic and queue names, never item ids.
 */
export function registerQueueMetrics(
  registry: Registry,
  worker: Pick<BullmqWorker, 'queueCounts'>,
  options: QueueMetricsOptions = {},
): Gauge {
  return new Gauge({
    name: `${options.prefix ?? 'hmi_'}queue_jobs`,
    help: 'BullMQ jobs per topic queue and state',
    labelNames: ['topic', 'queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const c of await worker.queueCounts()) {
        for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) {
          this.set({ topic: c.topic, queue: c.queue, state }, c[state]);
        }
      }
    },
  });
}
