import { ConfigError } from '@hmi/core';
import { parseDuration, type StateStore } from '@hmi/flow';
import type { MonitorSignal } from './signals.js';
import { SlidingWindow } from './sliding-window.js';
import type { AlertRule, AlertRuleType, AlertSeverity, OutcomeSource } from './types.js';

/** A rule with its defaults filled in. @internal */
export interface ResolvedRule {
  id: string;
  type: AlertRuleType;
  severity: AlertSeverity;
  threshold: number;
  only: ReadonlySet<string> | undefined;
  /** Words for the summary line (`over 5m`). */
  detail?: string;
}

/** What a rule saw for one key: whether its condition holds now, and the measured value. @internal */
export interface Observation {
  key: string;
  active: boolean;
  value: number;
  errorCode?: string;
  /** For summaries: exchanges in the window, etc. */
  samples?: number;
}

/** One rule at work. @internal */
export interface RuleEvaluator {
  readonly rule: ResolvedRule;
  handle(signal: MonitorSignal, now: number): Observation[];
  /** Re-evaluates time-based conditions (windows slide, the DLQ is polled). */
  tick(now: number, force: boolean): Observation[] | Promise<Observation[]>;
}

const DEFAULT_SOURCES: readonly OutcomeSource[] = ['sync', 'outbox', 'action'];

/** Builds the evaluator of one validated rule. @internal */
export function createEvaluator(rule: AlertRule, store: StateStore | undefined): RuleEvaluator {
  const severity = rule.severity ?? (rule.type === 'circuit-open' || rule.type === 'dlq-depth' ? 'critical' : 'warning');
  const base = { id: rule.id ?? rule.type, type: rule.type, severity, only: rule.only ? new Set(rule.only) : undefined };
  const wanted = (key: string) => base.only === undefined || base.only.has(key);
  switch (rule.type) {
    case 'consecutive-failures': {
      const sources = new Set(rule.sources ?? DEFAULT_SOURCES);
      const streak = new Map<string, number>();
      return {
        rule: { ...base, threshold: rule.threshold },
        handle(signal) {
          if (signal.kind !== 'outcome' || !sources.has(signal.source) || !wanted(signal.key)) return [];
          const count = signal.ok ? 0 : (streak.get(signal.key) ?? 0) + 1;
          if (count === 0) streak.delete(signal.key);
          else streak.set(signal.key, count);
          return [{ key: signal.key, active: count >= rule.threshold, value: count, errorCode: signal.errorCode }];
        },
        tick: () => [],
      };
    }
    case 'error-rate': {
      const sources = new Set(rule.sources ?? DEFAULT_SOURCES);
      const windowMs = parseDuration(rule.window, 'error-rate window');
      const minSamples = rule.minSamples ?? 10;
      const windows = new Map<string, SlidingWindow>();
      const lastError = new Map<string, string>();
      const observe = (key: string, now: number): Observation => {
        const counts = windows.get(key)?.counts(now) ?? { ok: 0, failed: 0, total: 0 };
        const rate = counts.total === 0 ? 0 : counts.failed / counts.total;
        return {
          key,
          active: counts.total >= minSamples && rate > rule.threshold,
          value: rate,
          samples: counts.total,
          errorCode: lastError.get(key),
        };
      };
      return {
        rule: { ...base, threshold: rule.threshold, detail: `over ${String(rule.window)}` },
        handle(signal, now) {
          if (signal.kind !== 'outcome' || !sources.has(signal.source) || !wanted(signal.key)) return [];
          let window = windows.get(signal.key);
          if (!window) windows.set(signal.key, (window = new SlidingWindow(windowMs)));
          window.add(now, signal.ok);
          if (signal.errorCode) lastError.set(signal.key, signal.errorCode);
          return [observe(signal.key, now)];
        },
        tick(now) {
          const out = [...windows.keys()].map((key) => observe(key, now));
          for (const [key, window] of windows) {
            if (window.empty) {
              windows.delete(key);
              lastError.delete(key);
            }
          }
          return out;
        },
      };
    }
    case 'dlq-depth': {
      if (!store) throw new ConfigError(`alert rule "${base.id}" (dlq-depth) needs the manager's store`);
      const pollMs = parseDuration(rule.pollEvery ?? '30s', 'dlq-depth pollEvery');
      let nextPoll = Number.NEGATIVE_INFINITY;
      let dirty = false;
      const known = new Set<string>();
      return {
        rule: { ...base, threshold: rule.threshold },
        handle(signal) {
          if (signal.kind === 'dlq-changed') dirty = true;
          return [];
        },
        async tick(now, force) {
          if (!force && !dirty && now < nextPoll) return [];
          nextPoll = now + pollMs;
          dirty = false;
          const depths = rule.perIntegrationPoint
            ? await depthByPoint(store)
            : new Map([['total', (await store.outboxStats()).dead]]);
          for (const key of known) if (!depths.has(key)) depths.set(key, 0);
          const out: Observation[] = [];
          for (const [key, depth] of depths) {
            if (!wanted(key)) continue;
            if (depth > 0) known.add(key);
            else known.delete(key);
            out.push({ key, active: depth > rule.threshold, value: depth });
          }
          return out;
        },
      };
    }
    case 'circuit-open':
      return {
        rule: { ...base, threshold: 1 },
        handle(signal) {
          if (signal.kind !== 'circuit' || !wanted(signal.key)) return [];
          return [{ key: signal.key, active: signal.open, value: signal.failures }];
        },
        tick: () => [],
      };
    case 'hl7-ack': {
      const codes = new Set((rule.codes ?? ['AE', 'AR', 'CE', 'CR']).map((c) => c.toUpperCase()));
      const negatives = new Map<string, number>();
      return {
        rule: { ...base, threshold: 1 },
        handle(signal) {
          if (signal.kind !== 'ack' || !wanted(signal.key)) return [];
          if (codes.has(signal.code)) {
            const count = (negatives.get(signal.key) ?? 0) + 1;
            negatives.set(signal.key, count);
            return [{ key: signal.key, active: true, value: count, errorCode: signal.code }];
          }
          if (signal.code !== 'AA' && signal.code !== 'CA') return [];
          negatives.delete(signal.key);
          return [{ key: signal.key, active: false, value: 0 }];
        },
        tick: () => [],
      };
    }
    case 'webhook-signature-spike': {
      const windowMs = parseDuration(rule.window, 'webhook-signature-spike window');
      const perRoute = rule.perRoute !== false;
      const windows = new Map<string, SlidingWindow>();
      const observe = (key: string, now: number): Observation => {
        const failures = windows.get(key)?.counts(now).failed ?? 0;
        return { key, active: failures >= rule.threshold, value: failures, errorCode: 'webhook_verification_failed' };
      };
      return {
        rule: { ...base, threshold: rule.threshold, detail: `in ${String(rule.window)}` },
        handle(signal, now) {
          if (signal.kind !== 'signature-failure') return [];
          const key = perRoute ? signal.route : 'all';
          if (!wanted(key)) return [];
          let window = windows.get(key);
          if (!window) windows.set(key, (window = new SlidingWindow(windowMs)));
          window.add(now, false);
          return [observe(key, now)];
        },
        tick(now) {
          const out = [...windows.keys()].map((key) => observe(key, now));
          for (const [key, window] of windows) if (window.empty) windows.delete(key);
          return out;
        },
      };
    }
  }
}

/** Dead items per integration point, paging through the DLQ (items without one count as `unassigned`). */
async function depthByPoint(store: StateStore): Promise<Map<string, number>> {
  const depths = new Map<string, number>();
  let afterSeq: number | undefined;
  for (;;) {
    const page = await store.listDlq({ limit: 500, ...(afterSeq !== undefined && { afterSeq }) });
    for (const item of page) {
      const key = item.integrationPoint ?? 'unassigned';
      depths.set(key, (depths.get(key) ?? 0) + 1);
    }
    if (page.length < 500) return depths;
    afterSeq = page[page.length - 1]!.seq;
  }
}
