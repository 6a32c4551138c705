import { randomUUID } from 'node:crypto';
import { ConfigError, createTelemetry, isHmiError, ValidationError } from '@hmi/core';
import type { SpecValidationIssue } from '../openapi/errors.js';
import { isOpenApiDocument } from '../openapi/spec-cache.js';
import { createOpenApiValidator, type OpenApiValidator } from '../openapi/validator.js';
import { fault } from '../server/faults.js';
import { createTestServer, type TestServer } from '../server/test-server.js';
import type { CapturedCall } from '../server/types.js';
import { createLeakRecorder, type LeakRecorder } from './leak-scan.js';
import {
  type ActionContractFixture,
  type AnyConnector,
  type ConnectorContractFixtures,
  type ContractCheck,
  ContractViolation,
} from './types.js';

/** A connector's contract, ready to run: its test server and its checks. */
export interface ConnectorContract {
  /** The server the connector is pointed at. */
  readonly server: TestServer;
  /** The checks, in order. Run `setup()` first and `teardown()` after. */
  readonly checks: readonly ContractCheck[];
  /** Starts the server and loads the spec. */
  setup(): void;
  /** Stops the server. */
  teardown(): void;
}

const NON_IDEMPOTENT = new Set(['POST', 'PATCH']);

function describeError(error: unknown): string {
  if (isHmiError(error))
    return `${error.name} (${error.code}${error.status ? `, status ${error.status}` : ''}): ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function groupNonIdempotent(calls: readonly CapturedCall[]): Map<string, CapturedCall[]> {
  const groups = new Map<string, CapturedCall[]>();
  for (const call of calls) {
    if (!NON_IDEMPOTENT.has(call.method)) continue;
    const key = `${call.method} ${call.origin}${call.path}`;
    groups.set(key, [...(groups.get(key) ?? []), call]);
  }
  return groups;
}

/**
 * Builds the contract checks for a connector without registering them with a test runner (use
 * `runConnectorContract` from `@hmi/testing/vitest` under vitest). Each check throws a {@link ContractViolation}
 * saying what rule was broken.
 */
export function createConnectorContract<C extends AnyConnector>(
  connector: C,
  fixtures: ConnectorContractFixtures<C>,
): ConnectorContract {
  const id: string = connector.definition.id;
  const server = createTestServer({
    baseUrl: fixtures.baseUrl ?? `https://api.${id.replace(/[^a-z0-9-]/gi, '-').toLowerCase()}.test`,
    routes: fixtures.routes,
    handlers: fixtures.handlers,
  });
  const canaries = [fixtures.canaries.secret, ...fixtures.canaries.phi];
  const idempotencyHeader = (fixtures.idempotencyHeader ?? 'Idempotency-Key').toLowerCase();
  const retryFaults = fixtures.retryFaults ?? [fault.status(503, 2)];
  const actionFixtures = fixtures.actions as Record<string, ActionContractFixture>;
  const definitions = connector.definition.actions as Record<string, { idempotent: boolean }>;
  let spec: OpenApiValidator | undefined;

  const newInstance = (recorder: LeakRecorder) => {
    const telemetry = createTelemetry();
    recorder.watch(telemetry);
    return connector.create(fixtures.config(server.baseUrl), { ...fixtures.instanceOptions, telemetry });
  };

  const prepare = (fixture: ActionContractFixture) => {
    server.reset();
    for (const route of fixture.routes ?? []) server.route(route);
    if (fixture.handlers?.length) server.use(...fixture.handlers);
  };

  const call = (instance: ReturnType<typeof newInstance>, name: string, input: unknown, options?: { idempotencyKey?: string }) =>
    (instance.actions as Record<string, (input: unknown, options?: { idempotencyKey?: string }) => Promise<unknown>>)[name]!(
      input,
      options,
    );

  const checks: ContractCheck[] = [];
  const check = (name: string, run: () => Promise<void> | void, skip?: string) =>
    checks.push({ name, ...(skip !== undefined && { skip }), run: async () => run() });

  check('fixtures: cover every action, carry the canaries and give invalid cases', () => {
    const declared = Object.keys(definitions).sort();
    const given = Object.keys(actionFixtures).sort();
    if (declared.join() !== given.join())
      throw new ContractViolation(
        `fixtures.actions must list exactly the connector's actions (${declared.join(', ')}); got ${given.join(', ')}`,
      );
    if (canaries.some((c) => c.length < 6))
      throw new ContractViolation('every canary must be at least 6 characters, so a match means a leak');
    const config = JSON.stringify(fixtures.config(server.baseUrl)) ?? '';
    if (!config.includes(fixtures.canaries.secret))
      throw new ContractViolation(
        'the config built by fixtures.config must contain canaries.secret (as the credential), or the secret scan proves nothing',
      );
    for (const [name, fixture] of Object.entries(actionFixtures))
      if (fixture.invalidInputs.length === 0) throw new ContractViolation(`action ${name} needs at least one invalid input`);
    if (fixtures.canaries.phi.length > 0) {
      const data = JSON.stringify(Object.values(actionFixtures).map((f) => [f.input, f.routes]));
      const missing = fixtures.canaries.phi.filter((c) => !data.includes(c) && !data.includes(JSON.stringify(c).slice(1, -1)));
      if (missing.length === fixtures.canaries.phi.length)
        throw new ContractViolation(
          'no PHI canary appears in any action input or route response: the PHI scan would prove nothing',
        );
    }
    if (fixtures.invalidConfigs.length === 0) throw new ContractViolation('give at least one invalid config case');
  });

  check('config: a valid config creates an instance', () => {
    const recorder = createLeakRecorder();
    try {
      newInstance(recorder);
    } catch (error) {
      throw new ContractViolation(`create() refused the fixture config: ${describeError(error)}`);
    }
    recorder.assertClean(canaries);
  });

  check('config: a missing or empty config is a ConfigError, not a crash', () => {
    const recorder = createLeakRecorder();
    for (const bad of [undefined, null, {}]) {
      let error: unknown;
      try {
        connector.create(bad as never, { telemetry: createTelemetry() });
      } catch (e) {
        error = recorder.error(e);
      }
      if (!ConfigError.isInstance(error))
        throw new ContractViolation(
          `create(${JSON.stringify(bad)}) must throw a ConfigError; got ${error === undefined ? 'an instance' : describeError(error)}`,
        );
    }
    recorder.assertClean(canaries);
  });

  for (const bad of fixtures.invalidConfigs) {
    check(`config: ${bad.name} → ConfigError naming "${bad.field}", without the secret`, () => {
      const recorder = createLeakRecorder();
      let error: unknown;
      try {
        connector.create(bad.config(server.baseUrl) as never, { telemetry: createTelemetry() });
      } catch (e) {
        error = recorder.error(e);
      }
      if (!ConfigError.isInstance(error))
        throw new ContractViolation(`expected a ConfigError; got ${error === undefined ? 'an instance' : describeError(error)}`);
      const paths = error.issues.map((i) => i.path.join('.'));
      const named = error.message.includes(bad.field) || paths.some((p) => p === bad.field || p.startsWith(`${bad.field}.`));
      if (!named) throw new ContractViolation(`the ConfigError does not name "${bad.field}" (message: ${error.message})`);
      recorder.assertClean(canaries);
    });
  }

  for (const [name, fixture] of Object.entries(actionFixtures)) {
    check(`${name}: invalid input → ValidationError before any request`, async () => {
      const recorder = createLeakRecorder();
      prepare(fixture);
      const instance = newInstance(recorder);
      for (const [index, input] of fixture.invalidInputs.entries()) {
        let error: unknown;
        let resolved = false;
        try {
          await call(instance, name, input);
          resolved = true;
        } catch (e) {
          error = recorder.error(e);
        }
        if (resolved) throw new ContractViolation(`invalid input #${index} was accepted`);
        if (!ValidationError.isInstance(error))
          throw new ContractViolation(`invalid input #${index} must be a ValidationError; got ${describeError(error)}`);
        if (server.calls.length > 0)
          throw new ContractViolation(
            `invalid input #${index} sent ${server.calls.length} request(s) (${server.calls[0]!.method} ${server.calls[0]!.path}) before validating`,
          );
      }
      recorder.assertClean(canaries);
    });

    const hasHttp = (fixture.routes?.length ?? 0) > 0 || (fixture.handlers?.length ?? 0) > 0;
    check(
      `${name}: valid input succeeds and every request${spec || fixtures.spec ? ' matches the vendor spec' : ' is answered'}`,
      async () => {
        const recorder = createLeakRecorder();
        prepare(fixture);
        const instance = newInstance(recorder);
        let output: unknown;
        try {
          output = await call(instance, name, fixture.input);
        } catch (error) {
          recorder.error(error);
          const unhandled = server.unhandled.map((c) => `${c.method} ${c.url}`).join(', ');
          throw new ContractViolation(
            `the valid input failed: ${describeError(error)}${unhandled ? `; unhandled requests: ${unhandled}` : ''}`,
          );
        }
        if (server.unhandled.length) {
          throw new ContractViolation(
            `requests matched no fixture: ${server.unhandled.map((c) => `${c.method} ${c.url}`).join(', ')}`,
          );
        }
        if (hasHttp && server.calls.length === 0)
          throw new ContractViolation('the action sent no request although fixtures answer one');
        if (spec && fixture.validateAgainstSpec !== false) {
          const problems: string[] = [];
          for (const c of server.calls) {
            if (fixtures.specCovers && !fixtures.specCovers(c)) continue;
            const list = (kind: string, issues: SpecValidationIssue[]) =>
              issues.length &&
              problems.push(`${kind} ${c.method} ${c.path}:\n${issues.map((i) => `    - ${i.path}: ${i.message}`).join('\n')}`);
            list('request', spec.validateRequest(c).errors);
            if (fixtures.validateResponses !== false && c.response && !c.response.fault && c.response.status > 0) {
              list(
                `fixture response ${c.response.status} to`,
                spec.validateResponse({
                  method: c.method,
                  url: c.url,
                  status: c.response.status,
                  headers: c.response.headers,
                  body: c.response.body,
                }).errors,
              );
            }
          }
          if (problems.length)
            throw new ContractViolation(`traffic does not match the vendor's OpenAPI description:\n  ${problems.join('\n  ')}`);
        }
        await fixture.expectOutput?.(output);
        recorder.assertClean(canaries);
      },
    );

    const skipRetry = fixture.skipRetryCheck ?? (hasHttp ? undefined : 'no routes or handlers: the action sends no request');
    check(
      `${name}: under 5xx faults a ${definitions[name]?.idempotent ? 'repeatable' : 'non-idempotent'} call is retried only with one idempotency key`,
      async () => {
        const recorder = createLeakRecorder();
        prepare(fixture);
        await call(newInstance(recorder), name, fixture.input).catch((e: unknown) => {
          throw new ContractViolation(`the valid input failed without faults: ${describeError(recorder.error(e))}`);
        });
        const baseline = new Map([...groupNonIdempotent(server.calls)].map(([k, v]) => [k, v.length]));

        const attempt = async (callerKey: string | undefined) => {
          prepare(fixture);
          server.faultNext(...retryFaults);
          try {
            await call(newInstance(recorder), name, fixture.input, callerKey ? { idempotencyKey: callerKey } : undefined);
          } catch (error) {
            recorder.error(error);
            if (!isHmiError(error)) throw new ContractViolation(`under 5xx faults the action crashed: ${describeError(error)}`);
          }
          for (const [request, calls] of groupNonIdempotent(server.calls)) {
            if (calls.length <= (baseline.get(request) ?? 0)) continue;
            const keys = calls.map((c) => c.headers[idempotencyHeader]);
            if (keys.some((k) => !k))
              throw new ContractViolation(
                `${request} was sent ${calls.length} times (${baseline.get(request) ?? 0} without faults) but not every attempt carried ` +
                  `an ${idempotencyHeader} header: a non-idempotent request may be retried only with one key reused by every attempt`,
              );
            if (new Set(keys).size > 1)
              throw new ContractViolation(`${request} was retried with different ${idempotencyHeader} values`);
            if (callerKey && keys[0] !== callerKey)
              throw new ContractViolation(`${request} was retried under its own key instead of the caller's idempotencyKey`);
          }
        };
        await attempt(undefined);
        await attempt(`hmi-contract-${randomUUID()}`);
        recorder.assertClean(canaries);
      },
      skipRetry,
    );

    check(
      `${name}: a vendor error echoing the canaries leaks none of them`,
      async () => {
        const recorder = createLeakRecorder();
        prepare(fixture);
        const echo = `invalid request: ${canaries.join(' | ')}`;
        server.route({
          method: '*',
          path: /.*/,
          name: 'canary-echo',
          respond: { status: 400, json: { error: { message: echo, param: fixtures.canaries.phi[0] ?? 'x', code: 'invalid' } } },
        });
        try {
          await call(newInstance(recorder), name, fixture.input);
        } catch (error) {
          recorder.error(error);
          if (!isHmiError(error)) throw new ContractViolation(`a vendor 400 made the action crash: ${describeError(error)}`);
        }
        recorder.assertClean(canaries);
      },
      hasHttp ? undefined : 'no routes or handlers: the action sends no request',
    );
  }

  return {
    server,
    checks,
    setup() {
      if (fixtures.spec && !spec) {
        const given = fixtures.spec;
        spec =
          typeof given === 'string' || given instanceof URL || isOpenApiDocument(given)
            ? createOpenApiValidator(given, { cache: fixtures.cache })
            : given;
      }
      server.listen();
    },
    teardown() {
      server.close();
    },
  };
}
