import type { Hospital } from '../hospital.js';
import type { Reporter } from '../output.js';

/** Facts a scene established, for the summary and for the demo's test. */
export type SceneFacts = Record<string, string | number | boolean>;

/** What a scene hands back when everything went as the scene says it should. */
export interface SceneOutcome {
  /** Short figures for the summary table (`requests: 0`, `segments: 2`). */
  figures: string[];
  facts: SceneFacts;
}

/** One part of the demo's story. */
export interface Scene {
  /** Stable id, used by the test. */
  id: 'patient' | 'appointment' | 'whatsapp' | 'payment' | 'mada' | 'outage' | 'erp' | 'analytics' | 'gateway' | 'leads' | 'call';
  title: string;
  /** A few words for the summary table. */
  label: string;
  run(hospital: Hospital, report: Reporter): Promise<SceneOutcome>;
}

/** A scene's expectation did not hold: the scene fails with this message. */
export class DemoCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoCheckError';
  }
}

/** Fails the scene unless `condition` holds. */
export function expectThat(condition: unknown, message: string): asserts condition {
  if (!condition) throw new DemoCheckError(message);
}

/** Waits for `predicate` to hold, polling; fails the scene after `timeoutMs`. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new DemoCheckError(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
