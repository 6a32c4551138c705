import type { AuditRecord } from '@hmi/flow';
import type { z } from 'zod';
import type { GatewayClient } from '../auth/types.js';
import { AuditPage, AuditQuerySchema } from '../schemas.js';
import { pointVisible } from './integrations.js';
import type { GatewayDeps, RouteDef } from './types.js';

/** Gateway calls are audited under `gateway` (hospital-wide clients) or `gateway:<facility>`. */
export function gatewayAuditPoint(facility: string | undefined): string {
  return facility === undefined ? 'gateway' : `gateway:${facility}`;
}

function visible(deps: GatewayDeps, client: GatewayClient, record: AuditRecord): boolean {
  if (client.facility === undefined) return true;
  return record.integrationPoint === gatewayAuditPoint(client.facility) || pointVisible(deps, client, record.integrationPoint);
}

const listAudit = (maxPage: number): RouteDef => ({
  method: 'GET',
  path: '/v1/audit',
  operationId: 'listAudit',
  summary: 'Read the audit trail, filtered and paged (newest first by default)',
  description:
    'Records hold ids and codes, never payloads. Gateway calls appear with integrationPoint `gateway` (or `gateway:<facility>`), operation `gateway.<operationId>`, trigger `api`, the caller as `client:<id>` in recordIds and the request id as correlationId.',
  tag: 'Audit',
  scope: 'audit:read',
  query: AuditQuerySchema(maxPage),
  responses: { 200: { description: 'A page', schema: AuditPage } },
  async handler(ctx, deps) {
    const q = ctx.query as z.output<ReturnType<typeof AuditQuerySchema>>;
    const limit = q.limit ?? Math.min(50, maxPage);
    const descending = q.order === 'desc';
    const items: AuditRecord[] = [];
    let afterSeq = q.cursor === undefined ? undefined : Number(q.cursor);
    let more = true;
    for (let scanned = 0; items.length < limit && more && scanned < 5000; ) {
      const batch = await deps.store.queryAudit({
        ...(q.from !== undefined && { from: Date.parse(q.from) }),
        ...(q.to !== undefined && { to: Date.parse(q.to) }),
        ...(q.integrationPoint !== undefined && { integrationPoint: q.integrationPoint }),
        ...(q.operation !== undefined && { operation: q.operation }),
        ...(q.outcome !== undefined && { outcome: q.outcome }),
        ...(q.recordId !== undefined && { recordId: q.recordId }),
        descending,
        afterSeq,
        limit: 200,
      });
      scanned += batch.length;
      more = batch.length === 200;
      for (const record of batch) {
        afterSeq = record.seq;
        if (!visible(deps, ctx.client, record)) continue;
        items.push(record);
        if (items.length === limit) break;
      }
    }
    return {
      status: 200,
      body: {
        items: items.map((r) => ({
          seq: r.seq,
          at: new Date(r.at).toISOString(),
          integrationPoint: r.integrationPoint,
          connector: r.connector ?? null,
          operation: r.operation,
          recordIds: r.recordIds,
          outcome: r.outcome,
          trigger: r.trigger,
          errorCode: r.errorCode ?? null,
          durationMs: r.durationMs ?? null,
          correlationId: r.correlationId ?? null,
        })),
        nextCursor: items.length === limit || more ? String(afterSeq ?? 0) : null,
      },
    };
  },
});

/** The audit route. @internal */
export const auditRoutes = (maxPage: number): RouteDef[] => [listAudit(maxPage)];
