import type { AuditOutcome, AuditQuery } from '@hmi/flow';
import { formatDuration, formatTime, renderTable } from '../output/table.js';
import { type CliIo, EXIT, openStateForRead, parsePositiveInt, parseTime, type StateFlags, UsageError } from './context.js';

const OUTCOMES: readonly AuditOutcome[] = ['success', 'failure', 'retry', 'dead', 'duplicate', 'rejected', 'skipped'];

/** Flags of `hmi audit`. */
export interface AuditFlags extends StateFlags {
  json: boolean;
  since?: string;
  until?: string;
  point?: string;
  connector?: string;
  operation?: string;
  outcome?: string;
  record?: string;
  limit?: string;
}

/**
 * `hmi audit`: the audit trail, newest `--limit` records (100) in time order, filtered by time
 * (`--since 24h`, `--until <ISO>`), point, connector, operation, outcome (comma-separated) and
 * record id. Shows ids and codes only: the trail holds no payloads.
 */
export async function auditCommand(io: CliIo, flags: AuditFlags): Promise<number> {
  const outcomes = flags.outcome?.split(',').map((o) => o.trim()) ?? [];
  for (const o of outcomes) {
    if (!OUTCOMES.includes(o as AuditOutcome)) throw new UsageError(`--outcome must be among ${OUTCOMES.join(', ')}`);
  }
  const now = Date.now();
  const query: AuditQuery = {
    descending: true,
    limit: parsePositiveInt(flags.limit, '--limit', 100),
    ...(flags.since && { from: parseTime(flags.since, '--since', now) }),
    ...(flags.until && { to: parseTime(flags.until, '--until', now) }),
    ...(flags.point && { integrationPoint: flags.point }),
    ...(flags.connector && { connector: flags.connector }),
    ...(flags.operation && { operation: flags.operation }),
    ...(outcomes.length > 0 && { outcome: outcomes as AuditOutcome[] }),
    ...(flags.record && { recordId: flags.record }),
  };
  const { store } = await openStateForRead(io, flags);
  try {
    const records = (await store.queryAudit(query)).reverse();
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
      return EXIT.ok;
    }
    if (records.length === 0) {
      io.stdout.write('no audit records match\n');
      return EXIT.ok;
    }
    io.stdout.write(
      renderTable(
        ['TIME', 'POINT', 'CONNECTOR', 'OPERATION', 'OUTCOME', 'TRIGGER', 'RECORDS', 'ERROR', 'DURATION'],
        records.map((r) => [
          formatTime(r.at),
          r.integrationPoint,
          r.connector ?? '-',
          r.operation,
          r.outcome,
          r.trigger,
          r.recordIds.length,
          r.errorCode ?? '',
          formatDuration(r.durationMs),
        ]),
      ),
    );
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
