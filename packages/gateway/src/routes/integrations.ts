import type { AuditRecord } from '@hmi/flow';
import type { z } from 'zod';
import type { GatewayClient } from '../auth/types.js';
import { canRunPoint } from '../auth/scopes.js';
import { GatewayProblem } from '../http/problem.js';
import { IdParams, IntegrationList, type IntegrationView, RunAccepted } from '../schemas.js';
import type { GatewayDeps, RouteDef } from './types.js';

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
const FAILED = new Set(['failure', 'dead', 'rejected']);

/** Whether a client may see an integration point: confined clients only their facility's. */
export function pointVisible(deps: GatewayDeps, client: GatewayClient, id: string | undefined): boolean {
  if (client.facility === undefined) return true;
  if (id === undefined || !Object.hasOwn(deps.integrations, id)) return false;
  return deps.integrations[id]!.facility === client.facility;
}

async function health(deps: GatewayDeps, id: string, client: GatewayClient): Promise<z.input<typeof IntegrationView>> {
  const point = deps.integrations[id]!;
  const recent: AuditRecord[] = await deps.store.queryAudit({ integrationPoint: id, descending: true, limit: 200 });
  const last = recent[0];
  const lastSuccess = recent.find((r) => r.outcome === 'success');
  const lastFailure = recent.find((r) => FAILED.has(r.outcome));
  const failures = recent.filter((r) => FAILED.has(r.outcome)).length;
  const dead = await deps.store.listDlq({ integrationPoint: id, limit: 1000 });
  const running = point.schedule?.running ?? false;
  const t = deps.now();
  const failing = last !== undefined && FAILED.has(last.outcome);
  return {
    id,
    ...(point.description !== undefined && { description: point.description }),
    ...(point.connector !== undefined && { connector: point.connector }),
    facility: point.facility ?? null,
    running,
    canRun: (point.schedule !== undefined || point.run !== undefined) && canRunPoint(client.scopes, id),
    lastRunAt: iso(last?.at),
    lastSuccessAt: iso(lastSuccess?.at),
    lastFailureAt: iso(lastFailure?.at),
    lastErrorCode: lastFailure?.errorCode ?? null,
    lagSeconds: lastSuccess ? Math.max(0, Math.round((t - lastSuccess.at) / 1000)) : null,
    errorRate: recent.length ? failures / recent.length : 0,
    deadLetters: dead.length,
    nextRunAt: iso(point.schedule?.nextRunAt()?.getTime()),
    status: running ? 'running' : failing ? 'failing' : last ? 'ok' : 'idle',
  };
}

const listIntegrations: RouteDef = {
  method: 'GET',
  path: '/v1/integrations',
  operationId: 'listIntegrations',
  summary: 'List integration points with last run, lag, error rate and dead letters',
  tag: 'Integrations',
  scope: 'integrations:read',
  responses: { 200: { description: 'The points this client may see', schema: IntegrationList } },
  async handler(ctx, deps) {
    const ids = Object.keys(deps.integrations).filter((id) => pointVisible(deps, ctx.client, id));
    const items = [];
    for (const id of ids) items.push(await health(deps, id, ctx.client));
    return { status: 200, body: { items } };
  },
};

const runIntegration: RouteDef = {
  method: 'POST',
  path: '/v1/integrations/{id}/runs',
  operationId: 'runIntegration',
  summary: 'Start a run of an integration point now',
  description:
    'Needs `integrations:run` or `integrations:run:<id>`. Answers 202 at once; follow the run on `/v1/events`. 409 while a run is in progress.',
  tag: 'Integrations',
  scope: 'integrations:run',
  allow: (client, params) => canRunPoint(client.scopes, params.id ?? ''),
  params: IdParams,
  responses: { 202: { description: 'Started', schema: RunAccepted } },
  problems: [409],
  async handler(ctx, deps) {
    const id = ctx.params.id as string;
    if (!Object.hasOwn(deps.integrations, id) || !pointVisible(deps, ctx.client, id)) throw new GatewayProblem('not-found');
    const point = deps.integrations[id]!;
    ctx.recordIds.push(id);
    if (point.schedule) {
      if (point.schedule.running) throw new GatewayProblem('conflict', 'a run is in progress');
      // Started, not awaited: the run reports through the audit trail and the event stream.
      point.schedule.runNow().catch(() => {});
    } else if (point.run) {
      void Promise.resolve()
        .then(() => point.run!({ signal: AbortSignal.timeout(60 * 60 * 1000), trigger: 'manual' }))
        .catch(() => {});
    } else {
      throw new GatewayProblem('conflict', 'this point cannot be started from the API');
    }
    return { status: 202, body: { integrationPoint: id, status: 'started', startedAt: new Date(deps.now()).toISOString() } };
  },
};

/** The integration routes. @internal */
export const integrationRoutes: RouteDef[] = [listIntegrations, runIntegration];
