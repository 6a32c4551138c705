import type { OutcomeSource } from './types.js';

/**
 * What the alert rules react to, distilled from telemetry events (and from `reportAck` /
 * `reportOutcome`). Names, codes and booleans only.
 * @internal
 */
export type MonitorSignal =
  | { kind: 'outcome'; source: OutcomeSource; key: string; ok: boolean; errorCode?: string }
  | { kind: 'circuit'; key: string; open: boolean; failures: number }
  | { kind: 'ack'; key: string; code: string }
  | { kind: 'signature-failure'; route: string }
  | { kind: 'dlq-changed' };

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/**
 * Turns one telemetry event into the signals it carries. Payloads are read defensively: a bus
 * shared with other packages may carry events of the same name with other shapes.
 * @internal
 */
export function signalsOf(name: string, payload: unknown): MonitorSignal[] {
  if (typeof payload !== 'object' || payload === null) return [];
  const p = payload as Record<string, unknown>;
  const point = str(p.integrationPoint);
  const connector = str(p.connector);
  const errorCode = str(p.errorCode);
  const outcome = (source: OutcomeSource, key: string | undefined, ok: boolean): MonitorSignal[] =>
    key === undefined ? [] : [{ kind: 'outcome', source, key, ok, ...(errorCode && !ok && { errorCode }) }];
  switch (name) {
    case 'sync:end':
      return outcome('sync', point ?? str(p.syncId), p.ok === true);
    case 'outbox:delivered':
      return outcome('outbox', point ?? str(p.topic), true);
    case 'outbox:retry':
      return outcome('outbox', point ?? str(p.topic), false);
    case 'dlq:added':
      return [...outcome('outbox', point ?? str(p.topic), false), { kind: 'dlq-changed' }];
    case 'dlq:replayed':
    case 'dlq:purged':
      return [{ kind: 'dlq-changed' }];
    case 'action:end':
      return outcome('action', point ?? connector, p.ok === true);
    case 'request:end':
      return outcome('request', point ?? connector, p.ok === true);
    case 'circuit:open':
      return [{ kind: 'circuit', key: str(p.name) ?? connector ?? 'unknown', open: true, failures: Number(p.failures) || 0 }];
    case 'circuit:close':
      return [{ kind: 'circuit', key: str(p.name) ?? connector ?? 'unknown', open: false, failures: 0 }];
    case 'hl7:message': {
      const code = str(p.ackCode);
      return code ? [{ kind: 'ack', key: point ?? connector ?? 'hl7v2', code: code.toUpperCase() }] : [];
    }
    case 'webhook:rejected':
      return p.reason === 'signature' ? [{ kind: 'signature-failure', route: connector ?? str(p.webhook) ?? 'unknown' }] : [];
    default:
      return [];
  }
}
