import { runConnectorContract } from '@hmi/testing/vitest';
import { makeRemindersConnector } from './fixtures/reminders-connector.js';
import { remindersFixtures } from './fixtures/reminders-fixtures.js';

// The well-behaved fake connector passes the whole contract, against its tiny OpenAPI 3.0 spec.
runConnectorContract(makeRemindersConnector(), remindersFixtures());
