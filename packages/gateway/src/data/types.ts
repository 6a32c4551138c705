/** A stored API key: the hash of its secret, never the secret. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  /** SHA-256 of the secret, hex. */
  hash: string;
  scopes: string[];
  facility: string | undefined;
  createdAt: number;
  expiresAt: number | undefined;
  revokedAt: number | undefined;
  replacedBy: string | undefined;
}

/** A contact as the gateway keeps it. */
export interface StoredContact {
  id: string;
  kind: 'patient' | 'lead' | 'other';
  facility: string | undefined;
  source: string;
  names: Array<{ use?: string; text?: string; given?: string[]; family?: string; language?: string }>;
  /** E.164 numbers. */
  phones: Array<{ value: string; use?: string }>;
  /** Lower-cased addresses. */
  emails: Array<{ value: string; use?: string }>;
  gender?: string;
  birthDate?: string;
  languages: string[];
  active?: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A consent decision. */
export interface StoredConsent {
  id: string;
  contactId: string;
  channel: 'sms' | 'email' | 'whatsapp' | 'phone' | 'post' | 'any';
  purpose: 'marketing' | 'transactional' | 'research' | 'data-sharing' | 'any';
  status: 'granted' | 'revoked';
  source: string;
  recordedAt: number;
}

/** A stored response of an idempotent POST. */
export interface IdempotencyRecord {
  /** SHA-256 of method, route and body. */
  fingerprint: string;
  state: 'in-progress' | 'done' | 'failed';
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  expiresAt: number;
}

/** What `beginIdempotent` found. */
export type IdempotencyBegin =
  | { state: 'new' }
  | { state: 'replay'; record: IdempotencyRecord }
  | { state: 'mismatch' }
  | { state: 'in-progress' };

/**
 * Where the gateway keeps its own state: API key hashes, contacts and their dedupe index,
 * consents, and idempotency records. `createMemoryGatewayData()` for tests;
 * `createStateStoreGatewayData(store)` keeps them in the flow `StateStore` (SQLite, Postgres) using
 * only its existing primitives. Implement it over your CRM's database to serve real contacts.
 */
export interface GatewayData {
  /** An API key record by id. */
  getKey(id: string): Promise<ApiKeyRecord | undefined>;
  /** Saves an API key record (create or update). */
  putKey(record: ApiKeyRecord): Promise<void>;

  /** A contact by id. */
  getContact(id: string): Promise<StoredContact | undefined>;
  /** Saves a contact (create or replace). */
  putContact(contact: StoredContact): Promise<void>;
  /**
   * Binds a dedupe key (`<facility>|phone|+9665…`) to a contact id unless it is bound already, and
   * returns the id it is bound to. Atomic: of two concurrent leads with the same phone, one wins.
   */
  bindIndex(key: string, contactId: string): Promise<string>;
  /** The contact id a dedupe key is bound to. */
  findIndex(key: string): Promise<string | undefined>;

  /** A contact's consent decisions, oldest first. */
  listConsents(contactId: string): Promise<StoredConsent[]>;
  /** Appends a consent decision; none is ever lost to a concurrent one. */
  addConsent(consent: StoredConsent): Promise<void>;

  /** Claims an idempotency key for a request fingerprint, or says what is stored under it. */
  beginIdempotent(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyBegin>;
  /** Stores the response (`done`), or releases the key for a retry (`failed`). */
  finishIdempotent(key: string, record: IdempotencyRecord): Promise<void>;
}
