// The connector contract every hmi connector passes, over Odoo's jsonrpc protocol.
import { runConnectorContract } from '@hmi/testing/vitest';
import { odooConnector } from '../src/index.js';
import { contractFixtures } from './contract-fixtures.js';

runConnectorContract(odooConnector, contractFixtures('jsonrpc'));
