import type { ApiKeyRecord, GatewayData, IdempotencyRecord, StoredConsent, StoredContact } from './types.js';

/** Options of {@link createMemoryGatewayData}. */
export interface MemoryGatewayDataOptions {
  /** The clock for expiry (ms since the epoch); `Date.now` by default. */
  now?: () => number;
  /** Most idempotency records kept; the oldest go first beyond it. Default 100 000. */
  maxIdempotencyRecords?: number;
}

/** {@link GatewayData} in memory, for tests and the demo. Values are copied in and out. */
export function createMemoryGatewayData(options: MemoryGatewayDataOptions = {}): GatewayData {
  const now = options.now ?? Date.now;
  const max = options.maxIdempotencyRecords ?? 100_000;
  const keys = new Map<string, ApiKeyRecord>();
  const contacts = new Map<string, StoredContact>();
  const index = new Map<string, string>();
  const consents = new Map<string, StoredConsent[]>();
  const idem = new Map<string, IdempotencyRecord>();
  const copy = <T>(value: T): T => structuredClone(value);

  return {
    async getKey(id) {
      const k = keys.get(id);
      return k && copy(k);
    },
    async putKey(record) {
      keys.set(record.id, copy(record));
    },
    async getContact(id) {
      const c = contacts.get(id);
      return c && copy(c);
    },
    async putContact(contact) {
      contacts.set(contact.id, copy(contact));
    },
    async bindIndex(key, contactId) {
      const bound = index.get(key);
      if (bound !== undefined) return bound;
      index.set(key, contactId);
      return contactId;
    },
    async findIndex(key) {
      return index.get(key);
    },
    async listConsents(contactId) {
      return copy(consents.get(contactId) ?? []);
    },
    async addConsent(consent) {
      const list = consents.get(consent.contactId) ?? [];
      list.push(copy(consent));
      consents.set(consent.contactId, list);
    },
    async beginIdempotent(key, fingerprint, ttlMs) {
      const t = now();
      const existing = idem.get(key);
      if (existing && existing.expiresAt > t && existing.state !== 'failed') {
        if (existing.fingerprint !== fingerprint) return { state: 'mismatch' };
        return existing.state === 'done' ? { state: 'replay', record: copy(existing) } : { state: 'in-progress' };
      }
      if (existing && existing.state === 'failed' && existing.expiresAt > t && existing.fingerprint !== fingerprint)
        return { state: 'mismatch' };
      idem.delete(key);
      idem.set(key, { fingerprint, state: 'in-progress', expiresAt: t + ttlMs });
      // Maps keep insertion order: the first entries are the oldest.
      for (const [k, r] of idem) {
        if (idem.size <= max && r.expiresAt > t) break;
        idem.delete(k);
      }
      return { state: 'new' };
    },
    async finishIdempotent(key, record) {
      idem.set(key, copy(record));
    },
  };
}
