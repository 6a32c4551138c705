import type { StateStore } from '@hmi/flow';
import type { ApiKeyRecord, GatewayData, IdempotencyRecord, StoredConsent, StoredContact } from './types.js';

/** Options of {@link createStateStoreGatewayData}. */
export interface StateStoreGatewayDataOptions {
  /** The clock for expiry (ms since the epoch); `Date.now` by default. */
  now?: () => number;
}

const NS = 'hmi-gateway';
/** Idempotency records are filed in 10-second buckets so expired ones can be deleted without a scan. */
const BUCKET_MS = 10_000;
/** Buckets swept per sweep at most, so a long idle gap never makes one request slow. */
const SWEEP_PER_CALL = 30;

/**
 * {@link GatewayData} kept in a flow `StateStore` (the SQLite or Postgres store the flows already
 * use), with only its existing primitives: checkpoints as a key-value table and `markSeen` for the
 * atomic claims (dedupe index, idempotency keys). Read-modify-write updates (a contact's consent
 * list, a bucket) are serialised per key within this process; several gateway processes writing
 * consents of the same contact in the same millisecond should use a `GatewayData` over a database
 * with transactions instead.
 */
export function createStateStoreGatewayData(store: StateStore, options: StateStoreGatewayDataOptions = {}): GatewayData {
  const now = options.now ?? Date.now;
  const locks = new Map<string, Promise<unknown>>();
  let sweptUpTo: number | undefined;

  /** Runs `fn` after every earlier `fn` of the same key in this process. */
  const serial = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = locks.get(key) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const tail = next.catch(() => undefined);
    locks.set(key, tail);
    void tail.then(() => {
      if (locks.get(key) === tail) locks.delete(key);
    });
    return next;
  };
  const get = async <T>(key: string): Promise<T | undefined> =>
    (await store.getCheckpoint(`${NS}/${key}`))?.checkpoint as T | undefined;
  const put = (key: string, value: unknown) => store.setCheckpoint(`${NS}/${key}`, value);

  let nextSweepAt = 0;
  // At most one sweep per bucket length, so a busy gateway pays for it once per 10 s, not per request.
  const sweep = async (t: number, ttlMs: number) => {
    if (t < nextSweepAt) return;
    nextSweepAt = t + BUCKET_MS;
    // Buckets are filed by expiry time: every bucket before the current one has fully expired. A
    // new process continues where the last sweep (of any process) stopped, or looks back one TTL.
    const last = Math.floor(t / BUCKET_MS) - 1;
    sweptUpTo ??= (await get<number>('idem-swept')) ?? Math.floor((t - ttlMs) / BUCKET_MS);
    const until = Math.min(last, sweptUpTo + SWEEP_PER_CALL);
    for (let bucket = sweptUpTo + 1; bucket <= until; bucket++) {
      const keys = (await get<string[]>(`idem-bucket/${bucket}`)) ?? [];
      for (const key of keys) {
        const record = await get<IdempotencyRecord>(`idem/${key}`);
        if (record && record.expiresAt <= t) await store.deleteCheckpoint(`${NS}/idem/${key}`);
      }
      if (keys.length) await store.deleteCheckpoint(`${NS}/idem-bucket/${bucket}`);
    }
    if (until > sweptUpTo) {
      sweptUpTo = until;
      await put('idem-swept', until);
    }
  };

  return {
    getKey: (id) => get<ApiKeyRecord>(`key/${id}`),
    putKey: (record) => put(`key/${record.id}`, record),
    getContact: (id) => get<StoredContact>(`contact/${id}`),
    putContact: (contact) => put(`contact/${contact.id}`, contact),
    async bindIndex(key, contactId) {
      if (await store.markSeen(`${NS}/index`, key)) {
        await put(`index/${key}`, contactId);
        return contactId;
      }
      // Another request won the key and is writing its contact id: give it a moment.
      for (let i = 0; i < 20; i++) {
        const bound = await get<string>(`index/${key}`);
        if (typeof bound === 'string') return bound;
        await new Promise((r) => setTimeout(r, 5));
      }
      // The winner died between claim and write: take the key over rather than lose the lead.
      await put(`index/${key}`, contactId);
      return contactId;
    },
    findIndex: (key) => get<string>(`index/${key}`),
    listConsents: async (contactId) => (await get<StoredConsent[]>(`consents/${contactId}`)) ?? [],
    addConsent: (consent) =>
      serial(`consents/${consent.contactId}`, async () => {
        const list = (await get<StoredConsent[]>(`consents/${consent.contactId}`)) ?? [];
        await put(`consents/${consent.contactId}`, [...list, consent]);
      }),
    async beginIdempotent(key, fingerprint, ttlMs) {
      const t = now();
      await sweep(t, ttlMs).catch(() => {});
      const claimed = await store.markSeen(`${NS}/idem`, key, ttlMs);
      const existing = claimed ? undefined : await get<IdempotencyRecord>(`idem/${key}`);
      if (!claimed && existing === undefined) return { state: 'in-progress' };
      if (existing && existing.expiresAt > t) {
        if (existing.fingerprint !== fingerprint) return { state: 'mismatch' };
        if (existing.state === 'done') return { state: 'replay', record: existing };
        if (existing.state === 'in-progress') return { state: 'in-progress' };
      }
      const record: IdempotencyRecord = { fingerprint, state: 'in-progress', expiresAt: t + ttlMs };
      await put(`idem/${key}`, record);
      const bucket = Math.floor(record.expiresAt / BUCKET_MS);
      await serial(`idem-bucket/${bucket}`, async () => {
        const list = (await get<string[]>(`idem-bucket/${bucket}`)) ?? [];
        await put(`idem-bucket/${bucket}`, [...list, key]);
      });
      return { state: 'new' };
    },
    finishIdempotent: (key, record) => put(`idem/${key}`, record),
  };
}
