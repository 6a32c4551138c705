import type { ConnectorInstance, Telemetry } from '@hmi/core';
import type { StateStore, SyncSchedule } from '@hmi/flow';
import type { JwtAuthOptions } from './auth/jwt.js';
import type { GatewayClient } from './auth/types.js';
import type { GatewayData } from './data/types.js';
import type { RateLimitOptions } from './http/rate-limit.js';

/** An integration point the gateway reports on and can trigger. */
export interface IntegrationPoint {
  description?: string;
  /** The connector it uses, for display. */
  connector?: string;
  /** The facility it belongs to: facility-scoped clients see only their facility's points. */
  facility?: string;
  /** Its schedule (`scheduleSync`): `POST …/runs` calls `runNow()`, and `nextRunAt` is reported. */
  schedule?: SyncSchedule;
  /** Or a function that runs it once (without a schedule). */
  run?: (options: { signal: AbortSignal; trigger: 'manual' }) => Promise<unknown>;
}

/** A message channel: which connector action sends it, and how a message becomes the action's input. */
export interface MessageChannel {
  /** Key of the connector in `connectors`. */
  connector: string;
  /** The action's name, e.g. `sendSms`. */
  action: string;
  /**
   * Builds the action's input. Default: `{ to, body, purpose, contactId }` (Twilio's `sendSms`
   * shape); for email, e.g. `(m) => ({ to: { email: m.to, contactId: m.contactId }, subject: m.subject, text: m.body, purpose: m.purpose })`.
   */
  toInput?: (message: {
    to: string;
    body: string;
    subject?: string;
    purpose: 'transactional' | 'marketing';
    contactId: string;
  }) => unknown;
}

/** The flow side: telemetry for live events, integration points, and the worker to wake on replay. */
export interface GatewayFlowOptions {
  /** The telemetry bus the flows emit on; `GET /v1/events` streams from it. */
  telemetry?: Telemetry;
  integrations?: Readonly<Record<string, IntegrationPoint>>;
  /** Called after a dead letter is replayed (`worker.notify`). */
  onReplay?: () => void;
  /**
   * Puts every accepted lead in the outbox under this topic (e.g. `deliver:crm-lead`) so a worker
   * hands it on durably (to the CRM, the ERP, an ads platform), with retries and the dead-letter
   * queue. The item's payload is `{ contactId, created, source }`: ids only; the worker reads the
   * contact from the gateway's data. Its integration point is `gateway-leads`, ordered per contact.
   */
  leadTopic?: string;
  /** Called after a lead is put in the outbox (`worker.notify`). */
  onLead?: () => void;
}

/** mTLS identity from the TLS terminator (which must strip the header from outside requests). */
export interface MtlsAuthOptions {
  /** The header the terminator sets to the verified client certificate's subject, e.g. `x-client-cert-subject`. */
  header: string;
  /** Known certificate subjects and what they may do. */
  clients: Readonly<Record<string, { name?: string; scopes: readonly string[]; facility?: string }>>;
}

/** How clients authenticate. At least one of API keys, JWT or mTLS. */
export interface GatewayAuthOptions {
  /** API keys (`gateway.keys`). Default enabled with prefix `hmi_live_`. */
  apiKeys?: false | { prefix?: string };
  jwt?: JwtAuthOptions;
  mtls?: MtlsAuthOptions;
  /**
   * The host's own sign-in (a session cookie, say), asked when a request has no `Authorization`
   * header and no mTLS identity: return the client, or undefined for 401. A browser console using
   * `EventSource` cannot send headers, so this is how it signs in through the host's session.
   */
  authenticate?: (request: Request) => GatewayClient | undefined | Promise<GatewayClient | undefined>;
}

/** Limits (OWASP API4). */
export interface GatewayLimits {
  /** Largest request body. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Largest page a list may ask for. Default 100. */
  maxPageSize?: number;
  rateLimit?: RateLimitOptions;
  /** Open event streams per client. Default 3. */
  maxEventStreamsPerClient?: number;
  /** Open event streams in total. Default 500. */
  maxEventStreams?: number;
  /** Comment line sent on idle streams. Default 15 000 ms. */
  heartbeatMs?: number;
}

/** Options of `createGateway`. */
export interface GatewayOptions {
  /** The flow state store: dead letters, audit trail, and (by default) the gateway's own data. */
  store: StateStore;
  flow?: GatewayFlowOptions;
  /** Connector instances by key; message channels name them. */
  connectors?: Readonly<Record<string, ConnectorInstance<any, any, any>>>;
  /** Message channels by name (`sms`, `email`, `whatsapp`). */
  channels?: Readonly<Record<string, MessageChannel>>;
  auth: GatewayAuthOptions;
  /** Where the gateway's own data lives. Default: in `store` (`createStateStoreGatewayData`). */
  data?: GatewayData;
  /** The path prefix the gateway is mounted under in the host app, e.g. `/api`. Default none. */
  basePath?: string;
  /**
   * Which routes to serve: all by default; a list of operationIds (from /openapi.json) serves only
   * those (a website-facing deployment may serve only `createLead`).
   */
  routes?: readonly string[];
  /**
   * Other handlers served under a path of the gateway, e.g. a console at `/console`: a request for
   * `<basePath>/console/…` goes to that handler unchanged. They authenticate for themselves (a
   * console calls the gateway's API with the user's credential) and are not audited here.
   */
  mounts?: Readonly<Record<string, (request: Request) => Response | Promise<Response>>>;
  /**
   * Serve the operators' console (`@hmi/console`, an optional peer dependency: install it) at
   * `<basePath>/console/`. It is a static page that calls this gateway's `/v1` API with the user's
   * own credential (an API key typed in, or the host's session through `auth.authenticate`).
   * Default false.
   */
  console?: boolean;
  limits?: GatewayLimits;
  /** Region for local phone numbers in leads (`0555123456`). Default `SA`. */
  defaultRegion?: string;
  /** How long Idempotency-Key responses are kept. Default 24 h. */
  idempotencyTtlMs?: number;
  /** The clock (ms since the epoch); `Date.now` by default. Tests inject one. */
  now?: () => number;
  /** Title and version for the OpenAPI document. */
  info?: { title?: string; version?: string; description?: string };
  /** OAuth token URL for the document's client-credentials flow. */
  tokenUrl?: string;
  /** Told of unexpected errors (answered as 500) and failed audit writes, with the request id. */
  onError?: (error: unknown, requestId: string) => void;
}
