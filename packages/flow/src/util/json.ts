import { ValidationError } from '@hmi/core';

/**
 * Serialises a value the way every store keeps it, so the memory store behaves like SQLite:
 * `undefined` becomes null, and what JSON cannot hold (a BigInt, a cycle) is a ValidationError
 * rather than a crash.
 * @internal
 */
export function toJson(value: unknown, what: string): string {
  try {
    return JSON.stringify(value === undefined ? null : value);
  } catch {
    throw new ValidationError(`${what} is not JSON-serialisable`, { code: 'validation_error' });
  }
}

/** @internal */
export function fromJson(text: string | null | undefined): unknown {
  return text === null || text === undefined ? undefined : JSON.parse(text);
}
