import type { ConnectorInstance, Telemetry } from '@hmi/core';
import type { DeadLetterQueue, StateStore } from '@hmi/flow';
import type { z } from 'zod';
import type { GatewayClient } from '../auth/types.js';
import type { GatewayData } from '../data/types.js';
import type { EventHub } from '../http/events.js';
import type { IntegrationPoint, MessageChannel } from '../options.js';

/** What every route handler can use. @internal */
export interface GatewayDeps {
  store: StateStore;
  data: GatewayData;
  dlq: DeadLetterQueue;
  telemetry: Telemetry | undefined;
  integrations: Readonly<Record<string, IntegrationPoint>>;
  connectors: Readonly<Record<string, ConnectorInstance>>;
  channels: Readonly<Record<string, MessageChannel>>;
  events: EventHub;
  now: () => number;
  defaultRegion: string;
  maxPageSize: number;
  /** Outbox topic for accepted leads, and the worker to wake. */
  leadTopic: string | undefined;
  onLead: (() => void) | undefined;
  /** Consent decision for a contact, channel and purpose, from the gateway's consent records. */
  consentAllows(contactId: string, channel: string, purpose: string): Promise<boolean>;
}

/** What a route handler receives. @internal */
export interface RouteContext<B = unknown, Q = unknown, P = Record<string, string>> {
  request: Request;
  client: GatewayClient;
  body: B;
  query: Q;
  params: P;
  requestId: string;
  /** The request's Idempotency-Key (scoped to the client), if any. */
  idempotencyKey: string | undefined;
  /** Ids of the objects concerned, for the audit record (the handler adds them). */
  recordIds: string[];
}

/** What a route handler returns: a JSON body, or a ready Response (the event stream). @internal */
export type RouteResult = { status: number; body: unknown; headers?: Record<string, string> } | Response;

/** One documented operation. The router and the OpenAPI document are both built from these. @internal */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** OpenAPI path template, e.g. `/v1/contacts/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** The scope required; undefined: any authenticated client. */
  scope?: string;
  /** Finer check after the scope (per integration point). */
  allow?: (client: GatewayClient, params: Record<string, string>) => boolean;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Success responses by status. `stream` marks the SSE response. */
  responses: Record<number, { description: string; schema?: z.ZodType; stream?: boolean }>;
  /** Problem statuses the operation may answer besides the common ones. */
  problems?: number[];
  handler(ctx: RouteContext<any, any, any>, deps: GatewayDeps): Promise<RouteResult>;
}
