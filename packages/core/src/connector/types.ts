import type { AnySchema, SchemaInput, SchemaOutput } from '../schema/standard.js';
import type { HmiError } from '../errors/hmi-error.js';
import type { HttpClient, HttpClientOptions } from '../http/types.js';
import type { HookRegistration } from '../telemetry/hooks.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import type { WebhookEvent, WebhookRequest } from '../webhooks/types.js';

/** The version of the connector contract these types describe. */
export const CONNECTOR_CONTRACT_VERSION = 1 as const;

/** What kind of system a connector talks to. */
export type ConnectorCategory = 'ehr' | 'erp' | 'payments' | 'social' | 'analytics' | 'messaging' | 'telephony' | 'crm' | 'other';

/** Per-call options of an action. */
export interface ActionCallOptions {
  signal?: AbortSignal;
  /**
   * Identifies this logical call. Reuse it when you repeat the call yourself (after a crash, from an
   * outbox) so the vendor does the side effect once. Generated when absent for non-idempotent actions.
   */
  idempotencyKey?: string;
}

/** What an action's `run` receives besides its input. */
export interface ActionCall {
  signal: AbortSignal | undefined;
  idempotencyKey: string | undefined;
  /** The action's name. */
  operation: string;
}

/** A connector action: validated input in, validated output out. */
export interface ActionDefinition<Ctx = unknown, I extends AnySchema = AnySchema, O extends AnySchema = AnySchema> {
  input: I;
  output: O;
  /** True when repeating the call cannot repeat a side effect (reads, upserts, keyed creates). */
  idempotent: boolean;
  /** One line for docs and CLIs. */
  description?: string;
  /**
   * Does the work. `input` is already validated; the result is validated against `output` before
   * the caller sees it. Throw HmiErrors (the instance stamps connector and operation on them).
   */
  run(input: SchemaOutput<I>, ctx: Ctx, call: ActionCall): Promise<SchemaInput<O>>;
}

/** One page a stream yields: records and the checkpoint to resume after them. */
export interface StreamPage<R, C> {
  records: R[];
  /** Saving this and passing it back to `read` resumes right after these records. */
  checkpoint: C;
}

/** Options of a stream read. */
export interface StreamReadOptions<C> {
  /** Resume after this checkpoint; absent for a full read. */
  checkpoint?: C | undefined;
  signal?: AbortSignal;
}

/** A connector stream: an incremental, resumable read of records. */
export interface StreamDefinition<Ctx = unknown, R extends AnySchema = AnySchema, C extends AnySchema = AnySchema> {
  record: R;
  checkpoint: C;
  description?: string;
  /**
   * Yields pages of records, each with the checkpoint to resume after it. `checkpoint` is the
   * validated one the caller passed (undefined for a full read); stop when `signal` aborts.
   */
  read(
    ctx: Ctx,
    options: { checkpoint: SchemaOutput<C> | undefined; signal: AbortSignal | undefined },
  ): AsyncIterable<StreamPage<SchemaInput<R>, SchemaInput<C>>>;
}

/**
 * A webhook a connector receives: verification on the raw bytes, then events.
 *
 * With `map`, the two steps are apart so that an authentic event is never lost to its shape:
 * `verify` authenticates and reads only the envelope (an id and a type; `data` is the vendor's
 * payload as received), the host stores and acknowledges that, and `map` turns a stored event into
 * canonical ones later, where a failure goes to the dead-letter queue and a replay after the fix
 * maps it again (`@hmi/flow`'s `createWebhookHandler` does exactly this).
 */
export interface WebhookDefinition<Ctx = unknown> {
  description?: string;
  /**
   * Verifies the request (signature, timestamp) and returns its events: mapped ones when the
   * webhook has no `map`, else the vendor's events as received. Throws WebhookVerificationError
   * for a bad signature and ValidationError when even the envelope (an id) cannot be read.
   */
  verify(request: WebhookRequest, ctx: Ctx): Promise<WebhookEvent[]>;
  /**
   * Maps one verified vendor event (as `verify` returned it, possibly read back from a store) to
   * the events the host processes: usually one, more when it implies others (a STOP reply is a
   * message and a consent change). Throws ValidationError when the payload lacks what the mapping
   * needs.
   */
  map?(event: WebhookEvent, ctx: Ctx): WebhookEvent[] | Promise<WebhookEvent[]>;
  /**
   * Answers a subscription handshake (e.g. Meta's `GET ?hub.mode=subscribe&hub.verify_token=…`)
   * before any POST handling; returns undefined when the request is not a handshake. Optional:
   * vendors without one simply leave it out.
   */
  handshake?(request: WebhookHandshakeRequest, ctx: Ctx): Response | undefined | Promise<Response | undefined>;
}

/** What a webhook handshake sees: method, URL and headers (handshakes carry no body). */
export interface WebhookHandshakeRequest {
  method: string;
  url: string;
  headers: Headers;
}

/** What a connector's setup receives. */
export interface ConnectorRuntime {
  telemetry: Telemetry;
  /** Creates an HTTP client wired to this connector's telemetry, fetch and id. */
  createHttpClient(options: HttpClientOptions): HttpClient;
  /** The fetch given in the instance options, if any (already passed to `createHttpClient`). */
  fetch: typeof globalThis.fetch | undefined;
  /** The connector id. */
  connector: string;
}

/** Everything a connector is, in one object. */
export interface ConnectorDefinition<
  ConfigSchema extends AnySchema,
  Ctx,
  Actions extends Record<string, ActionDefinition<Ctx, any, any>>,
  Streams extends Record<string, StreamDefinition<Ctx, any, any>>,
  Webhooks extends Record<string, WebhookDefinition<Ctx>>,
> {
  /** Stable id: `stripe`, `fhir`, `twilio`. */
  id: string;
  name: string;
  category: ConnectorCategory;
  /** The connector package's version. */
  version: string;
  /** Config schema; validated when an instance is created. Mark secrets with `secret()`. */
  config: ConfigSchema;
  /** Auth methods the connector supports, for docs and CLIs. */
  auth?: readonly string[];
  /** Builds the context (HTTP clients, resolved settings) every action and stream receives. */
  setup(config: SchemaOutput<ConfigSchema>, runtime: ConnectorRuntime): Ctx;
  /** A cheap call that proves config and credentials work. */
  check?(ctx: Ctx, signal?: AbortSignal): Promise<void>;
  /**
   * Frees what `setup` opened besides HTTP clients (sockets, timers, pools). Called once by the
   * instance's `close()`, after the HTTP clients made through `runtime.createHttpClient` are closed.
   */
  close?(ctx: Ctx): void | Promise<void>;
  actions: Actions;
  streams?: Streams;
  webhooks?: Webhooks;
}

/** The callable form of an action on an instance. */
export type ActionFn<A> =
  A extends ActionDefinition<any, infer I, infer O>
    ? (input: SchemaInput<I>, options?: ActionCallOptions) => Promise<SchemaOutput<O>>
    : never;

/** The readable form of a stream on an instance. */
export interface StreamHandle<R, C> {
  /** Reads pages (validated records and checkpoints), resuming after `options.checkpoint` when given. */
  read(options?: StreamReadOptions<C>): AsyncIterable<StreamPage<R, C>>;
}

/** A webhook on an instance. */
export interface WebhookHandle {
  /** Verifies a Fetch-API Request or a raw {@link WebhookRequest} and returns its mapped events. */
  verify(request: Request | WebhookRequest): Promise<WebhookEvent[]>;
  /**
   * Verifies the request and returns its events unmapped (the vendor's payload in `data`): what a
   * host stores before it acknowledges, so that no authentic event is lost to a mapping failure.
   * Same as `verify` for a webhook without a separate mapping.
   */
  receive(request: Request | WebhookRequest): Promise<WebhookEvent[]>;
  /** Maps one event `receive` returned (read back from a store, perhaps after a fix); `[event]` when the webhook maps in `verify`. */
  map(event: WebhookEvent): Promise<WebhookEvent[]>;
  /** Answers the vendor's subscription handshake, or undefined when it is not one (or the webhook has none). */
  handshake?(request: Request | WebhookHandshakeRequest): Promise<Response | undefined>;
}

/** Result of `check()`. */
export type CheckResult = { ok: true } | { ok: false; error: HmiError };

/** Options when creating an instance. */
export interface ConnectorInstanceOptions {
  /** Share a telemetry bus between instances; a private one by default. */
  telemetry?: Telemetry;
  /** Fetch implementation for every HTTP client the connector creates. */
  fetch?: typeof globalThis.fetch;
}

/** What an action hook sees. */
export interface ActionHookOptions {
  connector: string;
  action: string;
  input: unknown;
  call: ActionCall;
}

/** A configured, ready connector. */
export interface ConnectorInstance<
  Actions extends Record<string, ActionDefinition<any, any, any>> = Record<string, ActionDefinition<any, any, any>>,
  Streams extends Record<string, StreamDefinition<any, any, any>> = Record<string, StreamDefinition<any, any, any>>,
  Webhooks extends Record<string, WebhookDefinition<any>> = Record<string, WebhookDefinition<any>>,
> {
  readonly id: string;
  readonly name: string;
  readonly category: ConnectorCategory;
  readonly version: string;
  readonly contractVersion: typeof CONNECTOR_CONTRACT_VERSION;
  readonly actions: { [K in keyof Actions]: ActionFn<Actions[K]> };
  readonly streams: {
    [K in keyof Streams]: Streams[K] extends StreamDefinition<any, infer R, infer C>
      ? StreamHandle<SchemaOutput<R>, SchemaOutput<C>>
      : never;
  };
  readonly webhooks: { [K in keyof Webhooks]: WebhookHandle };
  /** Proves config and credentials work; never throws. */
  check(signal?: AbortSignal): Promise<CheckResult>;
  /**
   * Closes every HTTP client the connector created through `runtime.createHttpClient` (their
   * keep-alive pools) and runs the definition's `close`. Idempotent: later calls return the first
   * call's promise. Rejects with an HmiError (operation `close`) if the definition's `close` fails.
   */
  close(): Promise<void>;
  readonly telemetry: Telemetry;
  /** Octokit-style hooks around every action. */
  readonly hook: { action: HookRegistration<ActionHookOptions, unknown> };
}
