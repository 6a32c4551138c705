import type { OutboxItem } from '@hmi/flow';
import type { z } from 'zod';
import type { GatewayClient } from '../auth/types.js';
import { GatewayProblem } from '../http/problem.js';
import { DeadLetterPage, DeadLetterQuery, DeadLetterView, IdParams, ReplayResult } from '../schemas.js';
import { pointVisible } from './integrations.js';
import type { GatewayDeps, RouteDef } from './types.js';

function view(item: OutboxItem, client: GatewayClient): z.input<typeof DeadLetterView> {
  const e = item.lastError;
  return {
    id: item.id,
    topic: item.topic,
    integrationPoint: item.integrationPoint ?? null,
    connector: item.connector ?? null,
    attempts: item.attempts,
    replays: item.replays,
    createdAt: new Date(item.createdAt).toISOString(),
    deadAt: item.deadAt === undefined ? null : new Date(item.deadAt).toISOString(),
    // Name and code only: an error message may quote what a vendor said about a patient.
    error: e
      ? {
          name: e.name,
          code: e.code,
          ...(typeof e.status === 'number' && { status: e.status }),
          ...(typeof e.retryable === 'boolean' && { retryable: e.retryable }),
        }
      : null,
    ...(client.scopes.has('dead-letters:read:phi') && { payload: item.payload }),
  };
}

/** A dead item this client may see, or 404 (unknown, not dead, or another facility's). */
async function loadDead(deps: GatewayDeps, client: GatewayClient, id: string): Promise<OutboxItem> {
  const item = await deps.dlq.get(id);
  if (!item || !pointVisible(deps, client, item.integrationPoint)) throw new GatewayProblem('not-found');
  return item;
}

const listDeadLetters = (maxPage: number): RouteDef => ({
  method: 'GET',
  path: '/v1/dead-letters',
  operationId: 'listDeadLetters',
  summary: 'List dead letters, oldest first (payloads need dead-letters:read:phi)',
  tag: 'Dead letters',
  scope: 'dead-letters:read',
  query: DeadLetterQuery(maxPage),
  responses: { 200: { description: 'A page', schema: DeadLetterPage } },
  async handler(ctx, deps) {
    const {
      integrationPoint,
      limit = Math.min(50, maxPage),
      cursor,
    } = ctx.query as { integrationPoint?: string; limit?: number; cursor?: string };
    const items: OutboxItem[] = [];
    let afterSeq = cursor === undefined ? undefined : Number(cursor);
    let more = true;
    // Confined clients skip other facilities' items; scan in batches so a page stays bounded.
    for (let scanned = 0; items.length < limit && more && scanned < 5000; ) {
      const batch = await deps.store.listDlq({ integrationPoint, limit: 200, afterSeq });
      scanned += batch.length;
      more = batch.length === 200;
      for (const item of batch) {
        afterSeq = item.seq;
        if (!pointVisible(deps, ctx.client, item.integrationPoint)) continue;
        items.push(item);
        if (items.length === limit) break;
      }
    }
    const nextCursor = items.length === limit || more ? String(afterSeq ?? 0) : null;
    return { status: 200, body: { items: items.map((i) => view(i, ctx.client)), nextCursor } };
  },
});

const getDeadLetter: RouteDef = {
  method: 'GET',
  path: '/v1/dead-letters/{id}',
  operationId: 'getDeadLetter',
  summary: 'Inspect one dead letter',
  tag: 'Dead letters',
  scope: 'dead-letters:read',
  params: IdParams,
  responses: { 200: { description: 'The dead letter', schema: DeadLetterView } },
  async handler(ctx, deps) {
    const item = await loadDead(deps, ctx.client, ctx.params.id);
    ctx.recordIds.push(item.id);
    return { status: 200, body: view(item, ctx.client) };
  },
};

const replayDeadLetter: RouteDef = {
  method: 'POST',
  path: '/v1/dead-letters/{id}/replay',
  operationId: 'replayDeadLetter',
  summary: 'Put a dead letter back in the outbox',
  description: 'Idempotent on the store: a letter already replayed is no longer dead and answers 404.',
  tag: 'Dead letters',
  scope: 'dead-letters:replay',
  params: IdParams,
  responses: { 200: { description: 'Replayed', schema: ReplayResult } },
  async handler(ctx, deps) {
    const item = await loadDead(deps, ctx.client, ctx.params.id);
    ctx.recordIds.push(item.id);
    if (!(await deps.dlq.replay(item.id))) throw new GatewayProblem('not-found');
    return { status: 200, body: { id: item.id, replayed: true } };
  },
};

const purgeDeadLetter: RouteDef = {
  method: 'DELETE',
  path: '/v1/dead-letters/{id}',
  operationId: 'purgeDeadLetter',
  summary: 'Delete a dead letter and its payload',
  tag: 'Dead letters',
  scope: 'dead-letters:purge',
  params: IdParams,
  responses: { 204: { description: 'Deleted' } },
  async handler(ctx, deps) {
    const item = await loadDead(deps, ctx.client, ctx.params.id);
    ctx.recordIds.push(item.id);
    await deps.dlq.purge({ ids: [item.id] });
    return { status: 204, body: undefined };
  },
};

/** The dead-letter routes. @internal */
export const deadLetterRoutes = (maxPage: number): RouteDef[] => [
  listDeadLetters(maxPage),
  getDeadLetter,
  replayDeadLetter,
  purgeDeadLetter,
];
