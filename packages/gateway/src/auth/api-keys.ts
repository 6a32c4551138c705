import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '@hmi/core';
import type { ApiKeyRecord, GatewayData } from '../data/types.js';
import type { GatewayClient } from './types.js';

/** What `gateway.keys.create` takes. */
export interface CreateApiKeyOptions {
  /** A name people recognise: `website-forms`, `call-centre`. */
  name: string;
  /** Scopes the key grants. */
  scopes: readonly string[];
  /** Confine the key to one facility's objects. */
  facility?: string;
  /** When the key stops working (ms since the epoch); never by default. */
  expiresAt?: number;
}

/** A key as `create` and `rotate` return it: the plaintext is shown here once and never stored. */
export interface IssuedApiKey {
  id: string;
  /** The secret to hand to the client: `hmi_live_<id>_<secret>`. Not retrievable later. */
  key: string;
  name: string;
  scopes: string[];
  facility: string | undefined;
  createdAt: number;
  expiresAt: number | undefined;
}

/** A key's public description (no secret, no hash). */
export interface ApiKeyInfo {
  id: string;
  name: string;
  scopes: string[];
  facility: string | undefined;
  createdAt: number;
  expiresAt: number | undefined;
  revokedAt: number | undefined;
  /** The key that replaced this one on rotation. */
  replacedBy: string | undefined;
}

/** `gateway.keys`: issue, rotate and revoke API keys. */
export interface ApiKeys {
  /** Issues a key; the plaintext is in the result and nowhere else. */
  create(options: CreateApiKeyOptions): Promise<IssuedApiKey>;
  /**
   * Issues a replacement with the same name, scopes and facility; the old key keeps working for
   * `overlapMs` (default 24 h) so clients can switch without downtime.
   */
  rotate(id: string, options?: { overlapMs?: number }): Promise<IssuedApiKey>;
  /** Stops a key at once. False when unknown. */
  revoke(id: string): Promise<boolean>;
  /** A key's description, without its secret. */
  get(id: string): Promise<ApiKeyInfo | undefined>;
}

const KEY_PATTERN = /^([a-z]+_[a-z]+_)([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

/**
 * Secrets are 256 random bits, so a plain SHA-256 is enough to store them safely (a slow password
 * hash protects low-entropy secrets; it would only slow every request down here).
 */
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Creates the key manager and the authenticator for keys. */
export function createApiKeys(data: GatewayData, options: { prefix: string; now: () => number }) {
  const { prefix, now } = options;
  if (!/^[a-z]+_[a-z]+_$/.test(prefix)) throw new ConfigError('the API key prefix must look like `hmi_live_`');

  const issue = async (base: Omit<ApiKeyRecord, 'id' | 'hash' | 'createdAt'>): Promise<IssuedApiKey> => {
    const id = randomBytes(10).toString('hex').slice(0, 16);
    const secret = randomBytes(32).toString('base64url');
    const record: ApiKeyRecord = { ...base, id, hash: hashSecret(secret), createdAt: now() };
    await data.putKey(record);
    return {
      id,
      key: `${prefix}${id}_${secret}`,
      name: record.name,
      scopes: [...record.scopes],
      facility: record.facility,
      createdAt: record.createdAt,
      expiresAt: record.expiresAt,
    };
  };

  const keys: ApiKeys = {
    async create({ name, scopes, facility, expiresAt }) {
      if (typeof name !== 'string' || name.length === 0 || name.length > 100)
        throw new ConfigError('an API key needs a name (1-100 characters)');
      if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string' || s.length === 0))
        throw new ConfigError('an API key needs a list of scopes');
      return issue({ name, scopes: [...scopes], facility, expiresAt, revokedAt: undefined, replacedBy: undefined });
    },
    async rotate(id, { overlapMs = 24 * 60 * 60 * 1000 } = {}) {
      const old = await data.getKey(id);
      if (!old || old.revokedAt !== undefined) throw new ConfigError('no active API key with this id', { code: 'not_found' });
      const fresh = await issue({
        name: old.name,
        scopes: old.scopes,
        facility: old.facility,
        expiresAt: undefined,
        revokedAt: undefined,
        replacedBy: undefined,
      });
      const until = now() + Math.max(0, overlapMs);
      await data.putKey({
        ...old,
        expiresAt: old.expiresAt === undefined ? until : Math.min(old.expiresAt, until),
        replacedBy: fresh.id,
      });
      return fresh;
    },
    async revoke(id) {
      const old = await data.getKey(id);
      if (!old) return false;
      await data.putKey({ ...old, revokedAt: old.revokedAt ?? now() });
      return true;
    },
    async get(id) {
      const record = await data.getKey(id);
      if (!record) return undefined;
      const { hash: _hash, ...info } = record;
      return { ...info, scopes: [...info.scopes] };
    },
  };

  /** The client a presented key belongs to, or undefined (unknown, wrong secret, expired, revoked). */
  const authenticate = async (presented: string): Promise<GatewayClient | undefined> => {
    const match = KEY_PATTERN.exec(presented);
    if (!match || match[1] !== prefix) return undefined;
    const record = await data.getKey(match[2]!);
    if (!record) return undefined;
    const expected = Buffer.from(record.hash, 'hex');
    const actual = Buffer.from(hashSecret(match[3]!), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
    const t = now();
    if (record.revokedAt !== undefined && record.revokedAt <= t) return undefined;
    if (record.expiresAt !== undefined && record.expiresAt <= t) return undefined;
    return {
      id: `key:${record.id}`,
      name: record.name,
      kind: 'api-key',
      scopes: new Set(record.scopes),
      facility: record.facility,
    };
  };

  return { keys, authenticate, looksLikeKey: (token: string) => token.startsWith(prefix) };
}
