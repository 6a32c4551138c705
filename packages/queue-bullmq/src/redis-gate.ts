import type { Redis } from 'ioredis';

// One script per decision so every check-and-take is atomic across workers, on Redis's own clock
// (TIME), so workers whose clocks drift still share one window.
//
// KEYS: 1 the window log (a sorted set of send times), 2 the pause key (a vendor's Retry-After),
//       3 the "alive" marker whose absence means the log was lost (first start, or Redis flushed).
// ARGV: 1 max sends per window (0 = no limit), 2 window ms, 3 a unique member.
// Returns 0 when the send may go (and records it), else how many ms to wait.
const GATE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local pause = redis.call('PTTL', KEYS[2])
if pause > 0 then return pause end
local max = tonumber(ARGV[1])
if max == 0 then return 0 end
local window = tonumber(ARGV[2])
local alive = redis.call('GET', KEYS[3])
if not alive then
  -- The send log is gone: sends of the last window may be unrecorded. Wait one window first, so
  -- a flush can never let a second window's worth through.
  redis.call('SET', KEYS[3], now + window, 'PX', 86400000)
  return window
end
if tonumber(alive) > now then return tonumber(alive) - now end
redis.call('PEXPIRE', KEYS[3], 86400000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < max then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window * 2)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now + 1)
`;

// Takes a lock (KEYS[1]) for ARGV[2] ms with token ARGV[1] unless another token holds it; renews
// when the same token asks again. Returns 1 when held.
const LOCK = `
local held = redis.call('GET', KEYS[1])
if held and held ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
return 1
`;
const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** A topic's cluster-wide send gate: a vendor's rate limit and its Retry-After pauses. @internal */
export interface Gate {
  /** 0 when a send may go now (and it is counted), else the ms to wait. */
  take(member: string): Promise<number>;
  /** Stops every worker's sends of the topic for `ms` (a 429's Retry-After). */
  pause(ms: number): Promise<void>;
}

/** @internal */
export function createGate(
  redis: Redis,
  keyBase: string,
  limit: { max: number; durationMs: number; marginMs?: number } | undefined,
): Gate {
  // A margin on the window: a send recorded at t reaches the vendor a little later than t, and not
  // always equally late (a busy event loop, a slow connection), so the vendor's own window never
  // sees more than `max`.
  const margin = limit?.marginMs ?? Math.max(100, Math.ceil((limit?.durationMs ?? 0) * 0.1));
  const window = limit ? limit.durationMs + margin : 0;
  const keys = [`${keyBase}:window`, `${keyBase}:pause`, `${keyBase}:alive`];
  return {
    async take(member) {
      const wait = await redis.eval(GATE, 3, ...keys, limit?.max ?? 0, window, member);
      return Number(wait);
    },
    async pause(ms) {
      if (ms > 0) await redis.set(keys[1]!, '1', 'PX', Math.ceil(ms));
    },
  };
}

/** A cluster-wide lock with a token, renewed while held. @internal */
export async function tryLock(redis: Redis, key: string, token: string, ttlMs: number): Promise<boolean> {
  return Number(await redis.eval(LOCK, 1, key, token, Math.ceil(ttlMs))) === 1;
}

/** Releases a lock if this token still holds it. @internal */
export async function unlock(redis: Redis, key: string, token: string): Promise<void> {
  await redis.eval(UNLOCK, 1, key, token);
}
