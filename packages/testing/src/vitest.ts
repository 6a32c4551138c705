/**
 * `@hmi/testing/vitest`: {@link runConnectorContract}, the connector contract registered as a
 * vitest suite. A separate entry so that `@hmi/testing` itself never imports vitest (vitest is
 * ESM-only and an optional peer); other runners use `createConnectorContract` from the root.
 * @packageDocumentation
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createConnectorContract } from './contract/contract.js';
import type { AnyConnector, ConnectorContractFixtures } from './contract/types.js';

/**
 * Registers the connector contract as a vitest suite. Every connector passes it:
 *
 * - invalid configs throw a ConfigError naming the field, never containing the secret canary;
 * - each action refuses invalid input with a ValidationError and sends no request;
 * - each action succeeds with its fixture input, and every captured request (and the fixture
 *   responses) validate against the vendor's OpenAPI description when one is given;
 * - under 5xx faults a POST/PATCH is never retried without an idempotency key, and when retried,
 *   every attempt carries the same key (the caller's, when one is given);
 * - no secret or PHI canary appears in any telemetry event or any error's message, stack, JSON or
 *   cause, including when the vendor's error response echoes them back.
 *
 * Call it at the top level of a test file; one per file (it owns an MSW server).
 */
export function runConnectorContract<C extends AnyConnector>(connector: C, fixtures: ConnectorContractFixtures<C>): void {
  const contract = createConnectorContract(connector, fixtures);
  describe(fixtures.name ?? `connector contract: ${connector.definition.id}`, () => {
    beforeAll(() => contract.setup());
    afterAll(() => contract.teardown());
    for (const check of contract.checks) {
      if (check.skip !== undefined) it.skip(`${check.name} — skipped: ${check.skip}`, () => {});
      else it(check.name, () => check.run(), 60_000);
    }
  });
}
