/** A stored FHIR resource: any JSON object with a type, id and meta. */
export type StoredResource = Record<string, unknown> & {
  resourceType: string;
  id: string;
  meta: { versionId: string; lastUpdated: string } & Record<string, unknown>;
};

/** An in-memory FHIR resource store with versions and a monotonic `meta.lastUpdated` clock. */
export interface FhirMemoryStore {
  /** Stores a resource as a new version (assigning id, versionId and lastUpdated). */
  write(resource: Record<string, unknown>, options?: { keepLastUpdated?: boolean }): StoredResource;
  read(type: string, id: string): StoredResource | undefined;
  remove(type: string, id: string): boolean;
  /** Every current resource of a type. */
  all(type: string): StoredResource[];
  clear(): void;
}

/**
 * Creates a store. `now` is the clock; writes get strictly increasing timestamps (+1 ms on a tie)
 * unless `keepLastUpdated` keeps the one given (to build ties on purpose in tests).
 */
export function createFhirMemoryStore(now: () => number = Date.now): FhirMemoryStore {
  const byType = new Map<string, Map<string, StoredResource>>();
  let lastMs = 0;
  let counter = 0;
  const tick = () => {
    lastMs = Math.max(now(), lastMs + 1);
    return new Date(lastMs).toISOString();
  };
  return {
    write(resource, options = {}) {
      const type = String(resource.resourceType);
      const id =
        typeof resource.id === 'string'
          ? resource.id
          : `${type.toLowerCase()}-${(++counter).toString(36)}-${Date.now().toString(36)}`;
      let table = byType.get(type);
      if (!table) byType.set(type, (table = new Map()));
      const previous = table.get(id);
      const meta = (resource.meta ?? {}) as Record<string, unknown>;
      const given = typeof meta.lastUpdated === 'string' && options.keepLastUpdated ? meta.lastUpdated : undefined;
      if (given) lastMs = Math.max(lastMs, Date.parse(given));
      const stored = structuredClone({
        ...resource,
        id,
        meta: {
          ...meta,
          versionId: String(
            previous
              ? Number(previous.meta.versionId) + 1
              : options.keepLastUpdated && typeof meta.versionId === 'string'
                ? meta.versionId
                : 1,
          ),
          lastUpdated: given ?? tick(),
        },
      }) as StoredResource;
      table.set(id, stored);
      return stored;
    },
    read: (type, id) => byType.get(type)?.get(id),
    remove: (type, id) => byType.get(type)?.delete(id) ?? false,
    all: (type) => [...(byType.get(type)?.values() ?? [])],
    clear: () => byType.clear(),
  };
}
