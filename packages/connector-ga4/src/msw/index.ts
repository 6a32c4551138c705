/**
 * `@hmi/connector-ga4/msw`: a fake Google Analytics 4 (token endpoint, Data API, Admin API,
 * Measurement Protocol with the documented validation) for MSW, with deterministic fixture data —
 * for host apps' tests.
 * @packageDocumentation
 */
export { createFakeGa4, type FakeGa4Options, type FakeGa4Request, type FakeGa4State } from './fake-ga4.js';
export {
  FAKE_DIMENSIONS,
  FAKE_METRICS,
  FIXTURE_COUNTRIES,
  FIXTURE_DEVICES,
  FIXTURE_PAGES,
  FIXTURE_SOURCES,
  type FakeGa4Row,
  type FakeServiceAccount,
  ga4RowsForDay,
} from './fixtures.js';
export { createFakeServiceAccount } from './service-account.js';
