import { MeView } from '../schemas.js';
import type { RouteDef } from './types.js';

/** Limits reported by `/v1/me`. @internal */
export interface ReportedLimits {
  requestsPerWindow: number;
  windowSeconds: number;
  maxEventStreams: number;
  maxPageSize: number;
  maxBodyBytes: number;
}

/** `/v1/me` and `/v1/events`. `operationsFor` lists the operations a client's scopes allow. @internal */
export function systemRoutes(limits: ReportedLimits, operationsFor: (scopes: ReadonlySet<string>) => string[]): RouteDef[] {
  return [
    {
      method: 'GET',
      path: '/v1/me',
      operationId: 'getMe',
      summary: "The caller's identity, scopes, facility, allowed operations and limits",
      description: 'Any valid credential may call it. Consoles use it to decide which actions to offer.',
      tag: 'System',
      responses: { 200: { description: 'The caller', schema: MeView } },
      async handler(ctx) {
        const c = ctx.client;
        return {
          status: 200,
          body: {
            client: { id: c.id, name: c.name, kind: c.kind },
            scopes: [...c.scopes].sort(),
            facility: c.facility ?? null,
            operations: operationsFor(c.scopes),
            limits,
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/v1/events',
      operationId: 'streamEvents',
      summary: 'Live events as Server-Sent Events',
      description:
        "Events: `integration.running`, `integration.status` (needs integrations:read), `dead-letter.added`, `dead-letter.replayed` (need dead-letters:read); data is JSON with ids, counts and codes only. Confined clients see their facility's points only. Open streams per client are capped (429).",
      tag: 'System',
      scope: 'events:read',
      responses: { 200: { description: 'An event stream', stream: true } },
      problems: [429],
      async handler(ctx, deps) {
        const stream = deps.events.open(ctx.client, ctx.request.signal);
        return new Response(stream, {
          status: 200,
          headers: {
            'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-store',
            connection: 'keep-alive',
            'x-accel-buffering': 'no',
          },
        });
      },
    },
  ];
}
