import { createRedactor } from '@hmi/core';
import type { AuditRecord } from '@hmi/flow';
import { formatTime, renderTable } from '../output/table.js';
import { type CliIo, EXIT, openStateForRead, type StateFlags } from './context.js';

/** One integration point's line in `hmi status`. */
interface PointStatus {
  point: string;
  checkpointAt?: number;
  checkpoint?: string;
  lastAt?: number;
  lastOperation?: string;
  lastOutcome?: string;
  lastError?: string;
  lastFailureAt?: number;
}

/**
 * `hmi status`: outbox and dead-letter counts, and per integration point its checkpoint (points
 * named in `--config`) and last activity from the audit trail. Checkpoints are shown redacted and
 * cut short: a cursor may be a URL with query values.
 */
export async function statusCommand(io: CliIo, flags: StateFlags & { json: boolean }): Promise<number> {
  const { store, loaded } = await openStateForRead(io, flags);
  try {
    const stats = await store.outboxStats();
    const recent = await store.queryAudit({ descending: true, limit: 2000 });
    const points = new Map<string, PointStatus>();
    for (const id of loaded?.config.points.map((p) => p.id) ?? []) points.set(id, { point: id });
    for (const record of [...recent].reverse()) apply(points, record);
    const redactor = createRedactor();
    for (const status of points.values()) {
      const saved = await store.getCheckpoint(status.point);
      if (saved) {
        status.checkpointAt = saved.updatedAt;
        status.checkpoint = redactor.redactString(JSON.stringify(redactor.redact(saved.checkpoint)) ?? '');
      }
    }
    const rows = [...points.values()].sort((a, b) => a.point.localeCompare(b.point));
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ outbox: stats, points: rows }, null, 2)}\n`);
      return EXIT.ok;
    }
    io.stdout.write(
      `outbox: ${stats.pending} pending (${stats.leased} leased), ${stats.done} done; dead-letter queue: ${stats.dead}\n\n`,
    );
    if (rows.length === 0) {
      io.stdout.write('no integration point activity recorded yet\n');
      return EXIT.ok;
    }
    io.stdout.write(
      renderTable(
        ['POINT', 'CHECKPOINT SAVED', 'CHECKPOINT', 'LAST ACTIVITY', 'OPERATION', 'OUTCOME', 'LAST FAILURE', 'ERROR'],
        rows.map((s) => [
          s.point,
          formatTime(s.checkpointAt),
          s.checkpoint ?? '-',
          formatTime(s.lastAt),
          s.lastOperation ?? '-',
          s.lastOutcome ?? '-',
          formatTime(s.lastFailureAt),
          s.lastError ?? '',
        ]),
        32,
      ),
    );
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

function apply(points: Map<string, PointStatus>, record: AuditRecord): void {
  let status = points.get(record.integrationPoint);
  if (!status) points.set(record.integrationPoint, (status = { point: record.integrationPoint }));
  status.lastAt = record.at;
  status.lastOperation = record.operation;
  status.lastOutcome = record.outcome;
  if (record.outcome === 'failure' || record.outcome === 'dead' || record.outcome === 'rejected') {
    status.lastFailureAt = record.at;
    status.lastError = record.errorCode;
  }
}
