import type { AnySchema, Connector, ConnectorInstanceOptions, SchemaInput } from '@hmi/core';
import type { RequestHandler } from 'msw';
import type { OpenApiValidator } from '../openapi/validator.js';
import type { OpenApiDocument, SpecCache } from '../openapi/spec-cache.js';
import type { CapturedCall, Fault, RouteDefinition } from '../server/types.js';

/** Any connector made with `defineConnector`. */
export type AnyConnector = Connector<any, any, any, any, any>;

/** The action definitions of a connector. */
export type ConnectorActions<C> = C extends Connector<any, any, infer A, any, any> ? A : never;

/** What a connector's `create` accepts as config. */
export type ConnectorConfigInput<C> = C extends Connector<infer S, any, any, any, any> ? SchemaInput<S> : never;

/** The input type of one action. */
export type ActionInput<C, K extends keyof ConnectorActions<C>> = ConnectorActions<C>[K] extends {
  input: infer I extends AnySchema;
}
  ? SchemaInput<I>
  : unknown;

/**
 * Values that must never leak. The contract scans every telemetry event (`telemetry.onAny`) and
 * every error (message, stack, JSON, own properties, causes) of every check for each of them.
 */
export interface ContractCanaries {
  /**
   * A credential the config carries (an API key, a client secret). The contract checks that the
   * config built by `config(baseUrl)` contains it, so the scan is never vacuous.
   */
  secret: string;
  /**
   * Patient data the action inputs or fixture responses carry: an Arabic name, a `+966…` phone,
   * an MRN. Each must appear in some action input or route response (checked). Empty for
   * connectors that never see PHI.
   */
  phi: string[];
}

/** A config that must be refused. */
export interface InvalidConfigCase {
  /** What is wrong, for the test's name: `'apiKey missing'`. */
  name: string;
  /** Builds the bad config; gets the test server's base URL. Keep the secret canary in it. */
  config: (baseUrl: string) => unknown;
  /** The field the ConfigError must name, as a dotted path: `apiKey`, `auth.clientSecret`. */
  field: string;
}

/** Fixtures of one action. */
export interface ActionContractFixture<Input = unknown> {
  /** A valid input. The call must succeed against `routes`/`handlers`. Put PHI canaries in it. */
  input: Input;
  /**
   * Inputs the action must refuse with a ValidationError before sending anything: a missing
   * required field, a wrong type, an unknown enum value. At least one.
   */
  invalidInputs: unknown[];
  /** Routes answering the valid call, added to the test server for this action's checks. */
  routes?: RouteDefinition[];
  /** MSW handlers answering the valid call (such as the connector's own `./msw` export). */
  handlers?: RequestHandler[];
  /** More assertions on the valid call's output; throw to fail. */
  expectOutput?: (output: unknown) => void | Promise<void>;
  /**
   * Skips the retry check for this action, giving the reason (`'sends no HTTP request'`).
   * Every other action is run under 5xx faults.
   */
  skipRetryCheck?: string;
  /** Checks this action's captured requests and responses against `spec`. Default true. */
  validateAgainstSpec?: boolean;
}

/**
 * Everything `runConnectorContract` (from `@hmi/testing/vitest`) needs to put a connector through the contract: how to
 * configure it against the test server, which configs and inputs it must refuse, what answers
 * its valid calls, the vendor's OpenAPI description, and the canaries that must never leak.
 *
 * ```ts
 * const fixtures: ConnectorContractFixtures<typeof stripeConnector> = {
 *   config: (baseUrl) => ({ apiKey: 'sk_test_CANARY_51x', baseUrl }),
 *   invalidConfigs: [{ name: 'no apiKey', config: (baseUrl) => ({ baseUrl }), field: 'apiKey' }],
 *   canaries: { secret: 'sk_test_CANARY_51x', phi: ['فاطمة الحربي', '+966555123456'] },
 *   spec: join(findSpecsDir(import.meta.url), 'stripe/spec3.2023-08-16.yaml'), // or $HMI_SPECS_DIR
 *   actions: { createPaymentIntent: { input: {…}, invalidInputs: [{…}], routes: [{…}] } },
 * };
 * ```
 */
export interface ConnectorContractFixtures<C extends AnyConnector = AnyConnector> {
  /** Name of the suite. Default `connector contract: <id>`. */
  name?: string;
  /** The test server's base URL. Default `https://api.<connector id>.test`. */
  baseUrl?: string;
  /** Builds a valid config pointing the connector at `baseUrl`. Must contain `canaries.secret`. */
  config: (baseUrl: string) => ConnectorConfigInput<C>;
  /** Configs `create` must refuse with a ConfigError naming `field`. */
  invalidConfigs: InvalidConfigCase[];
  canaries: ContractCanaries;
  /** One fixture per action of the connector (all of them: the type requires every name). */
  actions: { [K in keyof ConnectorActions<C>]: ActionContractFixture<ActionInput<C, K>> };
  /** Routes every check needs (an OAuth token endpoint, say). */
  routes?: RouteDefinition[];
  /** MSW handlers every check needs. */
  handlers?: RequestHandler[];
  /** The vendor's OpenAPI description: a validator, a parsed document, or a path / `file:` URL to load. */
  spec?: OpenApiValidator | OpenApiDocument | string | URL;
  /** Which captured requests the spec describes; others (a token endpoint) are not validated. Default all. */
  specCovers?: (call: CapturedCall) => boolean;
  /** Also validate the fixture responses the connector received. Default true. */
  validateResponses?: boolean;
  /** Request header that carries the idempotency key. Default `Idempotency-Key`. */
  idempotencyHeader?: string;
  /** Faults injected before the routes answer in the retry check. Default `[fault.status(503, 2)]`. */
  retryFaults?: Fault[];
  /** Options passed to `create` besides the contract's own telemetry. */
  instanceOptions?: Omit<ConnectorInstanceOptions, 'telemetry'>;
  /** Spec cache for loading `spec` from a path. */
  cache?: SpecCache;
}

/** One check of the contract; `run` throws a {@link ContractViolation} when the connector fails it. */
export interface ContractCheck {
  /** The test name. */
  name: string;
  /** Why it is skipped, when it is. */
  skip?: string;
  /** Runs the check; rejects with a {@link ContractViolation} when the connector breaks the rule. */
  run(): Promise<void>;
}

/** A connector broke its contract. The message says which rule and how. */
export class ContractViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractViolation';
  }
}
