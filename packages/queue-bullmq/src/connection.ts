import { ConfigError } from '@hmi/core';
import { Redis, type RedisOptions } from 'ioredis';

/** A Redis connection: an ioredis client, its options, or a `redis://` URL. */
export type RedisConnection = Redis | RedisOptions | string;

/**
 * A client of our own for `connection`: a duplicate of a given client (so closing ours leaves the
 * host's open), or a new one. BullMQ's blocking calls need `maxRetriesPerRequest: null`.
 * @internal
 */
export function openRedis(connection: RedisConnection): Redis {
  if (connection instanceof Redis) return connection.duplicate({ maxRetriesPerRequest: null });
  if (typeof connection === 'string') {
    if (!/^rediss?:\/\//.test(connection)) throw new ConfigError('the Redis connection must be a redis:// or rediss:// URL');
    return new Redis(connection, { maxRetriesPerRequest: null });
  }
  if (connection && typeof connection === 'object') return new Redis({ ...connection, maxRetriesPerRequest: null });
  throw new ConfigError('a Redis connection is needed: an ioredis client, its options, or a redis:// URL');
}
