import type { CallRecord } from '@hmi/core';

/** Where finished CallRecords are kept for the `calls` stream (a host's database, or memory). */
export interface CallStore {
  /** Saves a record; returns false when one with the same id is already stored (nothing changes). */
  save(record: CallRecord): boolean | Promise<boolean>;
  /** Records after position `after` (null = from the start), oldest first, at most `limit`. */
  list(
    after: number | null,
    limit: number,
  ): { records: { position: number; record: CallRecord }[] } | Promise<{ records: { position: number; record: CallRecord }[] }>;
}

/** An in-memory CallStore keeping the last `capacity` records (the default of each instance). */
export function createMemoryCallStore(capacity = 10_000): CallStore {
  const records: { position: number; record: CallRecord }[] = [];
  const ids = new Set<string>();
  let position = 0;
  return {
    save(record) {
      if (ids.has(record.id)) return false;
      ids.add(record.id);
      records.push({ position: ++position, record });
      if (records.length > capacity) ids.delete(records.shift()!.record.id);
      return true;
    },
    list(after, limit) {
      const start = after === null ? 0 : records.findIndex((r) => r.position > after);
      return { records: start < 0 ? [] : records.slice(start, start + limit) };
    },
  };
}
