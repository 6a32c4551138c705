/**
 * `@hmi/connector-odoo/msw`: a fake Odoo (JSON-2 and JSON-RPC) for MSW, written from Odoo's
 * documentation, with seed data — for host apps' tests.
 * @packageDocumentation
 */
export { type FakeRecord, OdooFault } from './domain.js';
export {
  createFakeOdoo,
  type FakeOdooFault,
  type FakeOdooOptions,
  type FakeOdooRequest,
  type FakeOdooState,
} from './fake-odoo.js';
export { FakeOrm } from './fake-orm.js';
export { type SeededOdoo, type SeedInvoicesOptions, seedInvoices, seedOdoo } from './fixtures.js';
