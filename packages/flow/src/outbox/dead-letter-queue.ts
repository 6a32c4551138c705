import { createTelemetry, type Telemetry } from '@hmi/core';
import type { DlqPurge, DlqQuery, OutboxItem, StateStore } from '../store/types.js';

/** Options of {@link createDeadLetterQueue}. */
export interface DeadLetterQueueOptions {
  store: StateStore;
  telemetry?: Telemetry;
  /** Called after a replay so a worker picks the item up at once (`worker.notify`). */
  onReplay?: () => void;
}

/** The dead-letter queue, from code: what the `hmi dlq` CLI drives. */
export interface DeadLetterQueue {
  /** Dead items, oldest first. */
  list(query?: DlqQuery): Promise<OutboxItem[]>;
  /** One dead item (with its payload, for inspection), or undefined when it is not dead. */
  get(id: string): Promise<OutboxItem | undefined>;
  /** Puts an item back in the outbox. Idempotent: false when it was not dead (already replayed). */
  replay(id: string): Promise<boolean>;
  /** Replays every dead item matching the query; returns how many were replayed. */
  replayAll(query?: Omit<DlqQuery, 'limit' | 'afterSeq'>): Promise<number>;
  /** Deletes dead items and their payloads; returns how many. */
  purge(filter?: DlqPurge): Promise<number>;
}

/** Wraps a store's dead-letter queue with telemetry (`dlq:replayed`, `dlq:purged`). */
export function createDeadLetterQueue(options: DeadLetterQueueOptions): DeadLetterQueue {
  const { store } = options;
  const telemetry = options.telemetry ?? createTelemetry();
  const replay = async (id: string) => {
    const item = await store.getItem(id);
    const ok = await store.replayDlq(id);
    if (ok) {
      telemetry.emit('dlq:replayed', { itemId: id, integrationPoint: item?.integrationPoint, connector: item?.connector });
      options.onReplay?.();
    }
    return ok;
  };
  return {
    list: (query) => store.listDlq(query),
    async get(id) {
      const item = await store.getItem(id);
      return item?.status === 'dead' ? item : undefined;
    },
    replay,
    async replayAll(query = {}) {
      let count = 0;
      let afterSeq: number | undefined;
      for (;;) {
        const page = await store.listDlq({ ...query, limit: 100, afterSeq });
        if (page.length === 0) return count;
        for (const item of page) if (await replay(item.id)) count++;
        afterSeq = page[page.length - 1]!.seq;
      }
    },
    async purge(filter) {
      const count = await store.purgeDlq(filter);
      if (count > 0) telemetry.emit('dlq:purged', { count });
      return count;
    },
  };
}
