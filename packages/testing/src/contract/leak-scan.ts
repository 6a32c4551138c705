import { inspect } from 'node:util';
import type { Telemetry } from '@hmi/core';
import { ContractViolation } from './types.js';

/** Everything an error exposes as text: message, stack, JSON, own properties, and its causes. */
export function errorSurfaces(error: unknown, depth = 0): string[] {
  if (depth > 5 || error === undefined || error === null) return [];
  if (typeof error !== 'object') return [String(error)];
  const e = error as Error & { cause?: unknown; issues?: unknown };
  const out: string[] = [String(e.message ?? ''), String(e.stack ?? '')];
  try {
    out.push(JSON.stringify(error));
  } catch {
    out.push('[unserialisable error]');
  }
  for (const key of Object.getOwnPropertyNames(error)) {
    if (key === 'stack' || key === 'message' || key === 'cause') continue;
    try {
      const value = (error as unknown as Record<string, unknown>)[key];
      out.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
    } catch {
      // A getter that throws exposes nothing.
    }
  }
  out.push(...errorSurfaces(e.cause, depth + 1));
  return out;
}

/** Where a canary was found by {@link scanForCanaries}. */
export interface CanaryLeak {
  /** The canary's index in the list given (not its value: a report must not leak it again). */
  canary: number;
  /** Which value it was found in: its index in the list given. */
  where: number;
}

/**
 * Every text a value exposes: errors through {@link errorSurfaces} (message, stack, JSON,
 * properties, causes, `util.inspect`); anything else as JSON and as `util.inspect` shows it (a log
 * line of an object holding an error prints the error, which its JSON does not).
 */
function surfacesOf(value: unknown): string[] {
  if (value instanceof Error) return [...errorSurfaces(value), inspect(value, { depth: 10, showHidden: true })];
  if (typeof value === 'string') return [value];
  const shown = inspect(value, { depth: 10 });
  try {
    return [JSON.stringify(value) ?? String(value), shown];
  } catch {
    return [shown];
  }
}

/** How {@link scanForCanaries} compares. */
export interface LeakScanOptions {
  /** Match canaries whatever their case (names and e-mail addresses on the wire). */
  ignoreCase?: boolean;
}

/** The text as sent and, where it holds percent-encoding (URLs, form bodies), as decoded. */
function withDecoded(text: string): string[] {
  if (!text.includes('%') && !text.includes('+')) return [text];
  try {
    return [text, decodeURIComponent(text.replace(/\+/g, ' '))];
  } catch {
    return [text];
  }
}

/**
 * Scans values — errors, telemetry payloads, log lines, request bodies and URLs, serialised
 * objects — for canaries: the raw text, its JSON-escaped form and its URL-encoded form, in the text
 * as given and URL-decoded. Returns every leak found (empty when clean). Errors are read on every
 * surface: message, stack, JSON, own properties, causes and `util.inspect`.
 */
export function scanForCanaries(
  values: readonly unknown[],
  canaries: readonly string[],
  options: LeakScanOptions = {},
): CanaryLeak[] {
  const fold = (t: string) => (options.ignoreCase ? t.toLowerCase() : t);
  const leaks: CanaryLeak[] = [];
  const forms = canaries.map((c) => (c.length === 0 ? [] : [c, JSON.stringify(c).slice(1, -1), encodeURIComponent(c)].map(fold)));
  values.forEach((value, where) => {
    const texts = surfacesOf(value).flatMap(withDecoded).map(fold);
    forms.forEach((variants, canary) => {
      if (variants.some((v) => texts.some((t) => t.includes(v)))) leaks.push({ canary, where });
    });
  });
  return leaks;
}

/**
 * Throws when any canary appears in any of the values ({@link scanForCanaries}); the message names
 * the canary and the value by index, never by content. Pass every sink at once (requests a fake
 * vendor received, log lines, telemetry events, errors).
 */
export function expectNoLeaks(values: readonly unknown[], canaries: readonly string[], options: LeakScanOptions = {}): void {
  const leaks = scanForCanaries(values, canaries, options);
  if (leaks.length === 0) return;
  const list = leaks
    .slice(0, 10)
    .map((l) => `canary #${l.canary} in value #${l.where}`)
    .join(', ');
  throw new ContractViolation(`${leaks.length} canary leak(s): ${list}`);
}

/** Options of {@link leakedKinds}. */
export interface NamedLeakScanOptions extends LeakScanOptions {
  /** Also look for each word of a canary on its own (a first or a last name alone is PHI too). */
  wordParts?: boolean;
}

/**
 * The names of the canaries ({@link scanForCanaries}) found in the values, each once, in the
 * order of `canaries`: `[]` when clean, else e.g. `['mrn', 'email']` — a report that says what
 * kind of data leaked without printing it.
 */
export function leakedKinds(
  values: readonly unknown[],
  canaries: Readonly<Record<string, string>>,
  options: NamedLeakScanOptions = {},
): string[] {
  const forms = Object.entries(canaries).flatMap(([kind, canary]) =>
    [canary, ...(options.wordParts ? canary.split(/\s+/).filter((w) => w.length >= 2 && w !== canary) : [])].map((form) => ({
      kind,
      form,
    })),
  );
  const found = new Set(
    scanForCanaries(
      values,
      forms.map((f) => f.form),
      options,
    ).map((l) => forms[l.canary]!.kind),
  );
  return Object.keys(canaries).filter((kind) => found.has(kind));
}

/**
 * A fictional patient of a Gulf hospital: one canary of each kind a PHI firewall or a redactor must
 * stop (an MRN, a Saudi national id, an Egyptian national id, an e-mail, a Saudi mobile, a name).
 * Shared so that suites test the same data; add what a suite needs beside it.
 */
export const fictionalPatient = Object.freeze({
  mrn: '00458812',
  saudiId: '1098765432',
  egyptId: '29801011234567',
  email: 'fatima.alharbi@example.sa',
  phone: '+966555123456',
  name: 'Fatima Alharbi',
});

/** Records every telemetry event and every error a check sees, then scans them for canaries. */
export interface LeakRecorder {
  /** Subscribes to a telemetry bus (all events). */
  watch(telemetry: Telemetry): void;
  /** Records an error (returns it for chaining). */
  error<E>(error: E): E;
  /** Throws a ContractViolation naming the first canary found and where. */
  assertClean(canaries: string[]): void;
  readonly events: Array<{ name: string; payload: unknown }>;
}

/** Creates a {@link LeakRecorder}. */
export function createLeakRecorder(): LeakRecorder {
  const events: Array<{ name: string; payload: unknown }> = [];
  const errors: unknown[] = [];
  return {
    events,
    watch(telemetry) {
      telemetry.onAny((name, payload) => events.push({ name, payload }));
    },
    error(error) {
      errors.push(error);
      return error;
    },
    assertClean(canaries) {
      const wanted = canaries.filter((c) => c.length > 0);
      for (const { name, payload } of events) {
        const text = JSON.stringify(payload) ?? '';
        for (const canary of wanted) {
          if (text.includes(canary) || text.includes(JSON.stringify(canary).slice(1, -1)))
            throw new ContractViolation(`telemetry event "${name}" contains a canary value (${describe(canary, canaries)})`);
        }
      }
      for (const error of errors) {
        const surfaces = errorSurfaces(error);
        for (const canary of wanted) {
          const escaped = JSON.stringify(canary).slice(1, -1);
          if (surfaces.some((s) => s.includes(canary) || s.includes(escaped))) {
            const name = (error as Error)?.name ?? 'error';
            throw new ContractViolation(
              `a ${name} exposes a canary value (${describe(canary, canaries)}) in its message, stack, JSON or cause`,
            );
          }
        }
      }
    },
  };
}

/** Names which canary leaked without printing it (the first one is the secret by convention). */
function describe(canary: string, all: string[]): string {
  const index = all.indexOf(canary);
  return index === 0 ? 'the secret canary' : `PHI canary #${index}`;
}
