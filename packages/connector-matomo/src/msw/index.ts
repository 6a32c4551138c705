/**
 * `@hmi/connector-matomo/msw`: a fake Matomo (Reporting API and bulk Tracking API) for MSW — for
 * host apps' tests.
 * @packageDocumentation
 */
export { createFakeMatomo, type FakeMatomoOptions, type FakeMatomoRequest, type FakeMatomoState } from './fake-matomo.js';
